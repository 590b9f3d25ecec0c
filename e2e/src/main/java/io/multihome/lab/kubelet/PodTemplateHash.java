package io.multihome.lab.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Names as the Deployment controller makes them: the {@code pod-template-hash} (FNV-32a of the pod
 * template, plus the collision count, printed in decimal and mapped onto the API's "safe" alphabet,
 * like {@code 5d59d67564}), and the 5-character random suffixes of generated names. The hash input
 * is the template's canonical JSON (sorted keys), not Go's object dump, so the values differ from a
 * real cluster's while behaving the same: equal templates, equal hashes.
 */
public final class PodTemplateHash {
  public static final String LABEL = "pod-template-hash";

  /** The alphabet of {@code rand.SafeEncodeString}/{@code rand.String}: no vowels, no 0/1/3. */
  static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final SecureRandom RANDOM = new SecureRandom();

  private PodTemplateHash() {}

  public static String of(PodTemplateSpec template, Integer collisionCount) {
    try {
      JsonNode tree = SERIALIZATION.convertValue(template, JsonNode.class);
      Object canonical = SORTED.treeToValue(tree, Object.class);
      byte[] bytes = SORTED.writeValueAsBytes(canonical);
      int hash = 0x811c9dc5;
      hash = fnv(hash, bytes);
      if (collisionCount != null) {
        hash = fnv(hash, Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8));
      }
      return safeEncode(Integer.toUnsignedString(hash));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("pod template not serializable: " + e.getMessage(), e);
    }
  }

  private static int fnv(int hash, byte[] bytes) {
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }

  static String safeEncode(String s) {
    var sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
    }
    return sb.toString();
  }

  /** A generated-name suffix: 5 random characters of {@link #ALPHANUMS}. */
  public static String randomSuffix() {
    var sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHANUMS.charAt(RANDOM.nextInt(ALPHANUMS.length())));
    }
    return sb.toString();
  }
}
