package io.multihome.lab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Request bodies in Kubernetes' protobuf encoding, which client-go's typed clients send for
 * built-in kinds ({@code kubectl create namespace|configmap|secret}): the {@code k8s\0} envelope
 * ({@code runtime.Unknown}) and the messages of the kinds those commands create, decoded into the
 * JSON the rest of the pipeline works on; Pods and Deployments ({@code kubectl run}, {@code kubectl
 * create deployment}) in {@link ProtobufWorkloads}. Other kinds are refused with 415 and a message
 * saying so (kubectl does not retry in JSON).
 */
final class ProtobufBodies {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  /** A body the lab cannot decode. */
  static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message);
    }
  }

  private ProtobufBodies() {}

  static ObjectNode decode(byte[] body) throws Unsupported {
    for (int i = 0; i < MAGIC.length; i++) {
      if (body.length < MAGIC.length || body[i] != MAGIC[i]) {
        throw new Unsupported("not a Kubernetes protobuf message (no k8s\\0 prefix)");
      }
    }
    var unknown = fields(body, MAGIC.length, body.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    for (var f : unknown) {
      if (f.number == 1) {
        for (var t : fields(f.bytes, 0, f.bytes.length)) {
          if (t.number == 1) {
            apiVersion = t.text();
          } else if (t.number == 2) {
            kind = t.text();
          }
        }
      } else if (f.number == 2) {
        raw = f.bytes;
      }
    }
    var o = ApiContext.JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
    var fields = fields(raw, 0, raw.length);
    switch (apiVersion + "/" + kind) {
      case "v1/Namespace" -> {
        for (var f : fields) {
          if (f.number == 1) {
            o.set("metadata", meta(f.bytes));
          } else if (f.number == 2) {
            var finalizers = o.putObject("spec").putArray("finalizers");
            fields(f.bytes, 0, f.bytes.length).stream()
                .filter(x -> x.number == 1)
                .forEach(x -> finalizers.add(x.text()));
          }
        }
      }
      case "v1/ConfigMap" -> {
        for (var f : fields) {
          switch (f.number) {
            case 1 -> o.set("metadata", meta(f.bytes));
            case 2 -> entry(o.withObject("/data"), f.bytes, false);
            case 3 -> entry(o.withObject("/binaryData"), f.bytes, true);
            case 4 -> o.put("immutable", f.varint != 0);
            default -> {}
          }
        }
      }
      case "v1/Secret" -> {
        for (var f : fields) {
          switch (f.number) {
            case 1 -> o.set("metadata", meta(f.bytes));
            case 2 -> entry(o.withObject("/data"), f.bytes, true);
            case 3 -> o.put("type", f.text());
            case 4 -> entry(o.withObject("/stringData"), f.bytes, false);
            case 5 -> o.put("immutable", f.varint != 0);
            default -> {}
          }
        }
      }
      case "apps/v1/Deployment" -> ProtobufWorkloads.deployment(o, fields);
      case "v1/Pod" -> ProtobufWorkloads.pod(o, fields);
      default ->
          throw new Unsupported(
              "the lab's API decodes protobuf bodies of Namespace, ConfigMap, Secret, Pod and"
                  + " Deployment only, not "
                  + apiVersion
                  + " "
                  + kind
                  + "; send JSON (e.g. kubectl create -f with a manifest)");
    }
    return o;
  }

  /** ObjectMeta: the fields a client sets on create. */
  static ObjectNode meta(byte[] bytes) {
    var m = ApiContext.JSON.createObjectNode();
    for (var f : fields(bytes, 0, bytes.length)) {
      switch (f.number) {
        // Go writes unset strings as empty ones: left out, as JSON leaves them out.
        case 1 -> putText(m, "name", f);
        case 2 -> putText(m, "generateName", f);
        case 3 -> putText(m, "namespace", f);
        case 6 -> putText(m, "resourceVersion", f);
        case 11 -> entry(m.withObject("/labels"), f.bytes, false);
        case 12 -> entry(m.withObject("/annotations"), f.bytes, false);
        case 14 -> m.withArray("finalizers").add(f.text());
        default -> {}
      }
    }
    return m;
  }

  private static void putText(ObjectNode o, String name, Field f) {
    if (f.bytes.length > 0) {
      o.put(name, f.text());
    }
  }

  /** One map entry (key = 1, value = 2); bytes values base64 as in JSON. */
  static void entry(ObjectNode map, byte[] bytes, boolean binary) {
    String key = "";
    byte[] value = new byte[0];
    for (var f : fields(bytes, 0, bytes.length)) {
      if (f.number == 1) {
        key = f.text();
      } else if (f.number == 2) {
        value = f.bytes;
      }
    }
    map.put(
        key,
        binary
            ? Base64.getEncoder().encodeToString(value)
            : new String(value, StandardCharsets.UTF_8));
  }

  record Field(int number, long varint, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** The wire-format fields between {@code from} and {@code to}. */
  static List<Field> fields(byte[] b, int from, int to) {
    var out = new ArrayList<Field>();
    int[] pos = {from};
    while (pos[0] < to) {
      long tag = varint(b, pos);
      int number = (int) (tag >>> 3);
      switch ((int) (tag & 7)) {
        case 0 -> out.add(new Field(number, varint(b, pos), new byte[0]));
        case 1 -> pos[0] += 8;
        case 2 -> {
          int len = (int) varint(b, pos);
          if (len < 0 || pos[0] + len > to) {
            throw new IllegalArgumentException("truncated protobuf field " + number);
          }
          out.add(new Field(number, 0, java.util.Arrays.copyOfRange(b, pos[0], pos[0] + len)));
          pos[0] += len;
        }
        case 5 -> pos[0] += 4;
        default ->
            throw new IllegalArgumentException("unsupported protobuf wire type in field " + number);
      }
    }
    return out;
  }

  private static long varint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= b.length) {
        throw new IllegalArgumentException("truncated protobuf varint");
      }
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("protobuf varint too long");
  }
}
