package io.multihome.agent.engine;

import io.multihome.agent.ipsec.IpsecService;
import java.io.IOException;

/**
 * What nmstate's IPsec examples need around the node (as {@link UpstreamIpsecKernelTest} sets it
 * up): the node's end 198.18.2.251 on eth1, an {@link IpsecResponder} at 198.18.2.252 handing out
 * an address by IKE mode config, for x509 both certificates ({@link IpsecPki}, the node's imported
 * into the service's NSS database), and the agent's {@link IpsecService}. Null where libreswan or
 * the kernel's ESP is missing (the development kernel): the files then stop before applying.
 */
final class UpstreamIpsecPeer implements AutoCloseable {
  final IpsecService service;
  private final IpsecResponder responder;
  private final IpsecPki pki;

  private UpstreamIpsecPeer(IpsecService service, IpsecResponder responder, IpsecPki pki) {
    this.service = service;
    this.responder = responder;
    this.pki = pki;
  }

  static UpstreamIpsecPeer beside(EngineNetns ns, String relative) throws IOException {
    var text = Upstream.text(relative);
    if (!text.contains("type: ipsec")
        || !IpsecService.installed()
        || IpsecResponder.espMissing() != null) {
      return null;
    }
    ns.ip("addr", "add", "198.18.2.251/24", "dev", "eth1");
    var x509 = text.contains("leftcert:");
    IpsecPki pki = x509 ? IpsecPki.create("hosta.example.org", "hostb.example.org") : null;
    IpsecResponder responder = null;
    IpsecService service = null;
    try {
      responder =
          IpsecResponder.beside(
              ns,
              x509
                  ? IpsecResponder.Options.x509(
                      "198.18.2.252/24", pki, "hostb.example.org", UpstreamIpsecKernelTest.POOL)
                  : IpsecResponder.Options.psk(
                      "198.18.2.252/24",
                      "@srv-id.example.org",
                      "@cli-id.example.org",
                      "psk_password",
                      UpstreamIpsecKernelTest.POOL));
      service = IpsecService.open(ns.target(), ns.stateDir);
      if (pki != null) {
        pki.importInto(service.nssDir(), "hosta.example.org");
      }
      return new UpstreamIpsecPeer(service, responder, pki);
    } catch (IOException | RuntimeException e) {
      new UpstreamIpsecPeer(service, responder, pki).close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (service != null) {
      service.stop();
    }
    if (responder != null) {
      responder.close();
    }
    if (pki != null) {
      try {
        pki.close();
      } catch (IOException e) {
        // a temp directory of certificates
      }
    }
  }
}
