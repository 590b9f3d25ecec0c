package io.multihome.controller.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** The injector's answer for one pod. */
public sealed interface Admission {

  /** Admit, applying {@code patch} (RFC 6902 against the pod; empty: unchanged). */
  record Allow(ArrayNode patch, String reason) implements Admission {}

  /** Refuse the pod with {@code message}, which {@code kubectl apply} shows the user. */
  record Deny(String message) implements Admission {}
}
