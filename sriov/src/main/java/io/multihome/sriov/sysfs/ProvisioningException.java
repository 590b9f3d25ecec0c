package io.multihome.sriov.sysfs;

import java.io.IOException;

/** The kernel refused or did not finish a change; the message says which and where. */
public final class ProvisioningException extends IOException {
  public ProvisioningException(String message) {
    super(message);
  }

  public ProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
