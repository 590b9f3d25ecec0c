package io.multihome.api.read;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * The base of every custom resource class of the project: read by {@link
 * LenientResourceDeserializer} (Jackson finds the annotation on this superclass for every subclass)
 * and carrying the {@link ReadReport} of that read. A CR class only extends it and adds its fabric8
 * annotations; the report is neither JSON nor part of the generated CRD.
 */
@JsonDeserialize(using = LenientResourceDeserializer.class)
public abstract class LenientCustomResource<S, T> extends CustomResource<S, T>
    implements LenientlyRead {
  @JsonIgnore private transient ReadReport readReport = ReadReport.CLEAN;

  @Override
  public final ReadReport readReport() {
    return readReport;
  }

  @Override
  public final void readReport(ReadReport report) {
    this.readReport = report == null ? ReadReport.CLEAN : report;
  }
}
