package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/api-reference.md must be what {@link ApiReference} renders from deploy/crds. */
class ApiReferenceTest {
  static final Path CRDS = Path.of("..", "deploy", "crds");
  static final Path DOC = Path.of("..", "docs", "api-reference.md");

  @Test
  void committedApiReferenceMatchesTheCrds() throws Exception {
    String rendered = ApiReference.render(CRDS);
    if (Boolean.getBoolean("multihome.updateApiReference")) {
      Files.writeString(DOC, rendered);
    }
    assertThat(Files.exists(DOC)).as("docs/api-reference.md exists").isTrue();
    assertThat(Files.readString(DOC))
        .as(
            "docs/api-reference.md is out of date with deploy/crds. Regenerate from the repository"
                + " root with:%n  %s",
            ApiReference.REGENERATE_COMMAND)
        .isEqualTo(rendered);
  }

  @Test
  void everyKindAndItsFieldsAreListed() throws Exception {
    String rendered = ApiReference.render(CRDS);
    assertThat(rendered)
        .contains(
            "## NodeNetworkConfigurationPolicy",
            "## NodeNetworkConfigurationEnactment",
            "## NodeNetworkState",
            "## NetworkAttachmentDefinition",
            "## SriovNetworkNodePolicy",
            "## SriovNetworkNodeState",
            "## SriovNetwork",
            "| `spec.maxUnavailable` | integer or string |",
            "| `spec.desiredState` | object (free-form) |",
            "| `status.conditions[].type` | string | Required. |",
            "| Short names | `nncp` |");
  }
}
