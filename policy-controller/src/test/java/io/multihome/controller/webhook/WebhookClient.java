package io.multihome.controller.webhook;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** What the API server does: HTTPS to the webhook, trusting only the caBundle. */
final class WebhookClient {
  final HttpClient http;
  final URI uri;

  WebhookClient(String url, String caPem) throws Exception {
    var ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (var cert :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
      ks.setCertificateEntry("ca" + i++, cert);
    }
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    var tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    this.http =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.uri = URI.create(url);
  }

  HttpResponse<String> post(String body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws Exception {
    return post(body, "application/json");
  }

  static String review(String uid, String namespace, String podJson) {
    return "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {"
        + "\"uid\": \""
        + uid
        + "\", \"kind\": {\"group\": \"\", \"version\": \"v1\", \"kind\": \"Pod\"},"
        + " \"resource\": {\"group\": \"\", \"version\": \"v1\", \"resource\": \"pods\"},"
        + " \"operation\": \"CREATE\", \"namespace\": \""
        + namespace
        + "\", \"object\": "
        + podJson
        + "}}";
  }
}
