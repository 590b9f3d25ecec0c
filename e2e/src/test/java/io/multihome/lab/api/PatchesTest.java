package io.multihome.lab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode j(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void mergePatchNullRemovesKeysAsRfc7386Says() throws Exception {
    var node = j("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'list':[1,2]}}");
    var patched =
        Patches.apply(
            node,
            j("{'metadata':{'labels':{'a':null,'c':'3'}},'spec':{'list':[3]}}"),
            Patches.MERGE_PATCH,
            true);
    assertThat(patched)
        .isEqualTo(j("{'metadata':{'labels':{'b':'2','c':'3'}},'spec':{'list':[3]}}"));
    // RFC 7386 appendix A examples
    assertThat(Patches.merge(j("{'a':'b'}"), j("{'a':'c'}"))).isEqualTo(j("{'a':'c'}"));
    assertThat(Patches.merge(j("{'a':'b'}"), j("{'a':null}"))).isEqualTo(j("{}"));
    assertThat(Patches.merge(j("{'a':[{'b':'c'}]}"), j("{'a':[1]}"))).isEqualTo(j("{'a':[1]}"));
    assertThat(Patches.merge(j("{'e':null}"), j("{'a':1}"))).isEqualTo(j("{'e':null,'a':1}"));
  }

  @Test
  void strategicMergeMergesListsByKeyAndHonoursDirectives() throws Exception {
    var pod =
        j(
            "{'metadata':{'labels':{'a':'1'},'finalizers':['x']},'spec':{'containers':[{'name':'c1','image':'i1'},{'name':'c2','image':'i2'}]}}");
    var patch =
        j(
            "{'metadata':{'labels':{'a':null},'finalizers':['y']},'spec':{'$setElementOrder/containers':[{'name':'c1'},{'name':'c2'}],'containers':[{'name':'c2','image':'i3'},{'name':'c1','$patch':'delete'}]}}");
    var patched = Patches.apply(pod, patch, Patches.STRATEGIC_PATCH, false);
    assertThat(patched)
        .isEqualTo(
            j(
                "{'metadata':{'labels':{},'finalizers':['x','y']},'spec':{'containers':[{'name':'c2','image':'i3'}]}}"));
    var removed =
        Patches.apply(
            patched,
            j("{'metadata':{'$deleteFromPrimitiveList/finalizers':['x']}}"),
            Patches.STRATEGIC_PATCH,
            false);
    assertThat(removed.path("metadata").path("finalizers")).isEqualTo(j("['y']"));
  }

  @Test
  void jsonPatchAndUnsupportedTypes() throws Exception {
    var node = j("{'metadata':{'labels':{'a/b':'1'}}}");
    assertThat(
            Patches.apply(
                node,
                j("[{'op':'remove','path':'/metadata/labels/a~1b'}]"),
                Patches.JSON_PATCH,
                true))
        .isEqualTo(j("{'metadata':{'labels':{}}}"));
    assertThatThrownBy(() -> Patches.apply(node, j("{}"), Patches.STRATEGIC_PATCH, true))
        .isInstanceOf(Patches.PatchException.class)
        .hasMessageContaining("application/merge-patch+json");
  }
}
