package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Creates, updates and patches: the body decoded (JSON only), namespace checks, the admission
 * chain, then the store (under the write lock, always at the type's storage version); the answer in
 * the version the client used, with the admission warnings. Patches are computed against the stored
 * object and committed as a conditional update, retried on conflict as the API server does.
 */
final class Writes {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final ApiContext ctx;
  private final Namespaces namespaces;

  Writes(ApiContext ctx, Namespaces namespaces) {
    this.ctx = ctx;
    this.namespaces = namespaces;
  }

  ApiResponse create(ApiRequest req, ResourcePath rp, ResourceType type) {
    ObjectNode obj;
    try {
      obj = body(req);
    } catch (BadBody e) {
      return e.response;
    }
    var meta = obj.withObject("/metadata");
    if (type.namespaced()) {
      String ns = meta.path("namespace").asText("");
      if (!ns.isEmpty() && rp.namespace() != null && !ns.equals(rp.namespace())) {
        return ApiResponse.status(
            400,
            "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      String target = rp.namespace() != null ? rp.namespace() : ns;
      if (target.isEmpty()) {
        return ApiResponse.status(
            400, "BadRequest", "an empty namespace may not be set during creation");
      }
      meta.put("namespace", target);
      var refused = namespaces.admitCreate(target);
      if (refused != null) {
        return refused;
      }
    } else {
      meta.remove("namespace");
    }
    if (meta.path("name").asText("").isEmpty()) {
      String prefix = meta.path("generateName").asText("");
      if (prefix.isEmpty()) {
        return ApiResponse.status(
            422,
            "Invalid",
            type.qualifiedKind()
                + " \"\" is invalid: metadata.name: Required value: name or generateName is required");
      }
      meta.put("name", prefix + randomSuffix());
    }
    var invalidName = Names.check(type, meta.path("name").asText());
    if (invalidName != null) {
      return invalidName;
    }
    var warnings = new ArrayList<String>();
    var write =
        new Admission.Write(
            Admission.Operation.CREATE,
            type,
            rp.version(),
            meta.path("namespace").asText(null),
            obj,
            null,
            null,
            fieldValidation(req),
            req.param("dryRun") != null,
            warnings);
    var answered = admitForStorage(write, 201);
    if (answered != null) {
      return answered;
    }
    String storage = type.preferredVersion();
    var r =
        ctx.write(
            "POST",
            type.collectionPath(storage, meta.path("namespace").asText(null)),
            "application/json",
            obj.toString());
    return answer(r, type, rp, meta.path("name").asText()).withWarnings(warnings);
  }

  ApiResponse update(ApiRequest req, ResourcePath rp, ResourceType type) {
    ObjectNode obj;
    try {
      obj = body(req);
    } catch (BadBody e) {
      return e.response;
    }
    return commitUpdate(req, rp, type, obj);
  }

  ApiResponse patch(ApiRequest req, ResourcePath rp, ResourceType type) {
    return patchStored(
        req,
        rp,
        type,
        "object",
        type.custom(),
        current -> ApiContext.asVersion(current, type, rp.version()),
        (current, obj) -> {
          // A patch applies to what was read: the update is conditional on that version.
          obj.withObject("/metadata")
              .put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
          return commitUpdate(req, rp, type, obj);
        });
  }

  /**
   * A patch as the API server applies it: the body parsed once, applied to {@code base} of the
   * object stored now (a {@code what}), the result committed by {@code commit} conditionally on
   * that object's version, and all of it tried again, 5 times at most, while another write came
   * first (409).
   */
  ApiResponse patchStored(
      ApiRequest req,
      ResourcePath rp,
      ResourceType type,
      String what,
      boolean custom,
      Function<ObjectNode, JsonNode> base,
      BiFunction<ObjectNode, ObjectNode, ApiResponse> commit) {
    JsonNode patch;
    try {
      patch = ApiContext.JSON.readTree(req.body());
    } catch (IOException e) {
      return ApiResponse.status(
          400, "BadRequest", "the patch is not valid JSON: " + e.getMessage());
    }
    if (patch == null) {
      return ApiResponse.status(400, "BadRequest", "empty patch");
    }
    ApiResponse last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      var current = ctx.find(type, rp.namespace(), rp.name());
      if (current == null) {
        return ApiResponse.notFound(type.plural(), type.group(), rp.name());
      }
      JsonNode patched;
      try {
        patched = Patches.apply(base.apply(current), patch, req.contentType(), custom);
      } catch (Patches.PatchException e) {
        return ApiResponse.status(
            e.code, e.code == 415 ? "UnsupportedMediaType" : "Invalid", e.getMessage());
      }
      if (!(patched instanceof ObjectNode obj)) {
        return ApiResponse.status(422, "Invalid", "the patched " + what + " is not an object");
      }
      last = commit.apply(current, obj);
      if (last.code() != 409) {
        return last;
      }
    }
    return last;
  }

  /**
   * An update of the whole object computed by another handler (a subresource such as scale),
   * through the same admission and conditional write as a PUT.
   */
  ApiResponse updateObject(ApiRequest req, ResourcePath rp, ResourceType type, ObjectNode obj) {
    return commitUpdate(req, rp, type, obj);
  }

  private ApiResponse commitUpdate(
      ApiRequest req, ResourcePath rp, ResourceType type, ObjectNode obj) {
    var old = ctx.find(type, rp.namespace(), rp.name());
    if (old == null) {
      return ApiResponse.notFound(type.plural(), type.group(), rp.name());
    }
    var meta = obj.withObject("/metadata");
    if (!meta.path("name").asText(rp.name()).equals(rp.name())) {
      return ApiResponse.status(
          400,
          "BadRequest",
          "the name of the object ("
              + meta.path("name").asText()
              + ") does not match the name on the URL ("
              + rp.name()
              + ")");
    }
    meta.put("name", rp.name());
    if (type.namespaced()) {
      meta.put("namespace", rp.namespace());
    }
    var warnings = new ArrayList<String>();
    var write =
        new Admission.Write(
            Admission.Operation.UPDATE,
            type,
            rp.version(),
            rp.namespace(),
            obj,
            old,
            rp.subresource(),
            fieldValidation(req),
            req.param("dryRun") != null,
            warnings);
    var answered = admitForStorage(write, 200);
    if (answered != null) {
      return answered;
    }
    String storage = type.preferredVersion();
    String path = type.objectPath(storage, rp.namespace(), rp.name());
    if ("status".equals(rp.subresource())) {
      path += "/status";
    }
    var r = ctx.write("PUT", path, "application/json", obj.toString());
    return answer(r, type, rp, rp.name()).withWarnings(warnings);
  }

  /**
   * Admission, then the object in the type's storage version; null to go on to the store, else the
   * answer: the refusal, or for a dry run the admitted object with {@code dryRunCode}.
   */
  private ApiResponse admitForStorage(Admission.Write write, int dryRunCode) {
    var denied = admit(write);
    if (denied != null) {
      return denied;
    }
    var obj = write.object();
    var type = write.type();
    obj.put("apiVersion", type.apiVersion(type.preferredVersion()));
    obj.put("kind", type.kind());
    return write.dryRun() ? ApiResponse.json(dryRunCode, obj).withWarnings(write.warnings()) : null;
  }

  private ApiResponse admit(Admission.Write write) {
    for (var step : ctx.admissions()) {
      var refused = step.admit(write);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    return null;
  }

  /** The store's answer in the client's version; store errors as Status bodies. */
  private ApiResponse answer(
      io.fabric8.mockwebserver.http.MockResponse r,
      ResourceType type,
      ResourcePath rp,
      String name) {
    String text = LabStore.text(r);
    if (r.code() == 404) {
      return ApiResponse.notFound(type.plural(), type.group(), name);
    }
    if (r.code() == 409 && text.contains("already exists")) {
      return ApiResponse.alreadyExists(type.plural(), type.group(), name);
    }
    if (text.isEmpty()) {
      return ApiResponse.json(r.code(), "{}");
    }
    var node = LabStore.parse(text);
    if ("Status".equals(node.path("kind").asText())) {
      return ApiResponse.json(r.code(), node);
    }
    return ApiResponse.json(r.code(), ApiContext.asVersion(node, type, rp.version()));
  }

  private static String fieldValidation(ApiRequest req) {
    String v = req.param("fieldValidation");
    return v == null || v.isEmpty() ? "Warn" : v;
  }

  private static String randomSuffix() {
    var sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
    }
    return sb.toString();
  }

  private static final class BadBody extends Exception {
    final transient ApiResponse response;

    BadBody(ApiResponse response) {
      super(response.bodyText());
      this.response = response;
    }
  }

  /** The JSON object in the body; protobuf and other encodings are refused with 415. */
  private static ObjectNode body(ApiRequest req) throws BadBody {
    String ct = req.contentType();
    if (ct.equals(ProtobufBodies.MEDIA_TYPE)) {
      try {
        return ProtobufBodies.decode(req.body());
      } catch (ProtobufBodies.Unsupported | IllegalArgumentException e) {
        throw new BadBody(ApiResponse.status(415, "UnsupportedMediaType", e.getMessage()));
      }
    }
    if (!ct.isEmpty() && !ct.equals("application/json") && !ct.endsWith("+json")) {
      throw new BadBody(
          ApiResponse.status(
              415,
              "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include:"
                  + " application/json"));
    }
    try {
      JsonNode n = ApiContext.JSON.readTree(req.body());
      if (n instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      throw new BadBody(ApiResponse.status(400, "BadRequest", "invalid JSON: " + e.getMessage()));
    }
    throw new BadBody(ApiResponse.status(400, "BadRequest", "the body is not a JSON object"));
  }
}
