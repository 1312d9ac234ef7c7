package partyclaw.tools.web;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import partyclaw.core.util.SecretRedaction;

/** Turns a failed request into a message the model can act on, naming the host but never the query string. */
public final class WebErrors {
  private WebErrors() {}

  public static String describe(Throwable error, URI uri) {
    String host = uri.getHost();
    String hostPort = host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    // The JDK client wraps a failed lookup in a ConnectException: look for it through the whole chain first.
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "could not resolve host " + host + " (DNS lookup failed); check the host name";
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) return "connecting to " + hostPort + " timed out";
      if (t instanceof HttpTimeoutException) return "no response from " + hostPort + " in time";
      if (t instanceof ConnectException) {
        return "could not connect to " + hostPort + ": connection refused or unreachable";
      }
      if (t instanceof SSLException) return "TLS with " + hostPort + " failed: " + clean(t.getMessage());
    }
    return "request to " + HttpUrls.redacted(uri) + " failed: " + error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : ": " + clean(error.getMessage()));
  }

  private static String clean(String message) {
    return message == null ? "" : SecretRedaction.redact(message);
  }
}
