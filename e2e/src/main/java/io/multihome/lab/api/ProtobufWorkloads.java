package io.multihome.lab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.lab.api.ProtobufBodies.Field;
import java.util.List;

/**
 * Protobuf bodies of the workloads kubectl creates itself: {@code kubectl create deployment} (an
 * {@code apps/v1} Deployment) and {@code kubectl run} (a Pod). Field numbers are those of {@code
 * k8s.io/api} {@code generated.proto}; what those commands set is decoded (metadata, replicas,
 * selector labels, the pod template: containers with name, image, command, args, working directory,
 * ports, plain env values; restart policy, node name, node selector, service account), the rest
 * skipped. Go writes empty strings for unset string fields: those are left out, as JSON's {@code
 * omitempty} leaves them out.
 */
final class ProtobufWorkloads {
  private ProtobufWorkloads() {}

  /** Deployment: metadata 1, spec 2 (replicas 1, selector 2, template 3, strategy 4). */
  static void deployment(ObjectNode o, List<Field> fields) {
    for (var f : fields) {
      if (f.number() == 1) {
        o.set("metadata", ProtobufBodies.meta(f.bytes()));
      } else if (f.number() == 2) {
        var spec = o.putObject("spec");
        for (var s : sub(f)) {
          switch (s.number()) {
            case 1 -> spec.put("replicas", (int) s.varint());
            case 2 -> selector(spec.putObject("selector"), s);
            case 3 -> template(spec.putObject("template"), s);
            case 4 -> {
              for (var t : sub(s)) {
                if (t.number() == 1 && t.bytes().length > 0) {
                  spec.putObject("strategy").put("type", t.text());
                }
              }
            }
            default -> {}
          }
        }
      }
    }
  }

  /** Pod: metadata 1, spec 2. */
  static void pod(ObjectNode o, List<Field> fields) {
    for (var f : fields) {
      if (f.number() == 1) {
        o.set("metadata", ProtobufBodies.meta(f.bytes()));
      } else if (f.number() == 2) {
        podSpec(o.putObject("spec"), f);
      }
    }
  }

  /** LabelSelector: matchLabels 1 (map). */
  private static void selector(ObjectNode selector, Field f) {
    for (var s : sub(f)) {
      if (s.number() == 1) {
        ProtobufBodies.entry(selector.withObject("/matchLabels"), s.bytes(), false);
      }
    }
  }

  /** PodTemplateSpec: metadata 1, spec 2. */
  private static void template(ObjectNode template, Field f) {
    for (var s : sub(f)) {
      if (s.number() == 1) {
        template.set("metadata", ProtobufBodies.meta(s.bytes()));
      } else if (s.number() == 2) {
        podSpec(template.putObject("spec"), s);
      }
    }
  }

  /**
   * PodSpec: containers 2, restartPolicy 3, nodeSelector 7, serviceAccountName 8, nodeName 10,
   * initContainers 20.
   */
  private static void podSpec(ObjectNode spec, Field f) {
    for (var s : sub(f)) {
      switch (s.number()) {
        case 2 -> container(spec.withArray("containers").addObject(), s);
        case 3 -> text(spec, "restartPolicy", s);
        case 7 -> ProtobufBodies.entry(spec.withObject("/nodeSelector"), s.bytes(), false);
        case 8 -> text(spec, "serviceAccountName", s);
        case 10 -> text(spec, "nodeName", s);
        case 20 -> container(spec.withArray("initContainers").addObject(), s);
        default -> {}
      }
    }
    if (!spec.has("containers")) {
      spec.putArray("containers");
    }
  }

  /**
   * Container: name 1, image 2, command 3, args 4, workingDir 5, ports 6 (name 1, containerPort 3,
   * protocol 4), env 7 (name 1, value 2), imagePullPolicy 14.
   */
  private static void container(ObjectNode c, Field f) {
    for (var s : sub(f)) {
      switch (s.number()) {
        case 1 -> c.put("name", s.text());
        case 2 -> text(c, "image", s);
        case 3 -> c.withArray("command").add(s.text());
        case 4 -> c.withArray("args").add(s.text());
        case 5 -> text(c, "workingDir", s);
        case 6 -> {
          var port = c.withArray("ports").addObject();
          for (var p : sub(s)) {
            switch (p.number()) {
              case 1 -> text(port, "name", p);
              case 3 -> port.put("containerPort", (int) p.varint());
              case 4 -> text(port, "protocol", p);
              default -> {}
            }
          }
        }
        case 7 -> {
          var env = c.withArray("env").addObject();
          for (var e : sub(s)) {
            if (e.number() == 1) {
              env.put("name", e.text());
            } else if (e.number() == 2) {
              env.put("value", e.text());
            }
          }
        }
        case 14 -> text(c, "imagePullPolicy", s);
        default -> {}
      }
    }
  }

  private static void text(ObjectNode o, String name, Field f) {
    if (f.bytes().length > 0) {
      o.put(name, f.text());
    }
  }

  private static List<Field> sub(Field f) {
    return ProtobufBodies.fields(f.bytes(), 0, f.bytes().length);
  }
}
