/** SriovNetwork → NetworkAttachmentDefinition controller. */
package io.multihome.controller.nad;
