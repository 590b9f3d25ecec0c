package io.multihome.controller.cno;

/** One NetworkAttachmentDefinition to keep: from entry {@code index}, where, its config. */
record RenderedNad(int index, String namespace, String name, String config) {
  String key() {
    return namespace + "/" + name;
  }
}
