package io.multihome.controller.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The AdmissionReview v1 wire format (admission.k8s.io/v1): reads a request, writes the response
 * the API server expects (same {@code uid}; a JSON patch base64-encoded with {@code patchType:
 * JSONPatch}; a denial as {@code allowed: false} with a status message).
 */
public final class AdmissionReviews {
  public static final String API_VERSION = "admission.k8s.io/v1";
  public static final String KIND = "AdmissionReview";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdmissionReviews() {}

  /** A request the server cannot answer with an AdmissionReview: HTTP 400 with this message. */
  public static final class BadReview extends Exception {
    public BadReview(String message) {
      super(message);
    }
  }

  /** The fields of {@code request} the injector needs. */
  public record Request(
      String uid, String kind, String operation, String namespace, JsonNode object) {}

  public static Request read(byte[] body) throws BadReview {
    JsonNode review;
    try {
      review = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new BadReview("error deserializing AdmissionReview: " + e.getMessage());
    }
    if (review == null || !review.isObject()) {
      throw new BadReview("error deserializing AdmissionReview: not a JSON object");
    }
    if (!KIND.equals(review.path("kind").asText())) {
      throw new BadReview("received object is not an AdmissionReview");
    }
    if (!API_VERSION.equals(review.path("apiVersion").asText())) {
      throw new BadReview(
          "AdmissionReview apiVersion " + review.path("apiVersion") + " is not " + API_VERSION);
    }
    JsonNode request = review.path("request");
    if (!request.isObject() || request.path("uid").asText("").isEmpty()) {
      throw new BadReview("received empty AdmissionReview request");
    }
    return new Request(
        request.path("uid").asText(),
        request.path("kind").path("kind").asText(""),
        request.path("operation").asText(""),
        request.path("namespace").asText(""),
        request.path("object"));
  }

  /** The response review for {@code uid}. */
  public static byte[] write(String uid, Admission admission) {
    ObjectNode review = JSON.createObjectNode().put("apiVersion", API_VERSION).put("kind", KIND);
    ObjectNode response = review.putObject("response").put("uid", uid);
    if (admission instanceof Admission.Allow allow) {
      response.put("allowed", true);
      if (!allow.patch().isEmpty()) {
        response.put("patchType", "JSONPatch");
        response.put(
            "patch",
            Base64.getEncoder()
                .encodeToString(allow.patch().toString().getBytes(StandardCharsets.UTF_8)));
      }
    } else if (admission instanceof Admission.Deny deny) {
      response.put("allowed", false);
      response.putObject("status").put("code", 400).put("message", deny.message());
    }
    try {
      return JSON.writeValueAsBytes(review);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen for a tree of strings", e);
    }
  }
}
