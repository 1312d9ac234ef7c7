package partyclaw.tools.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which requests of the web tools go through the environment's proxy (tools.md §3.4: loopback never does). */
class EnvProxySelectorTest {
  static String route(EnvProxySelector s, String url) {
    Proxy p = s.select(URI.create(url)).get(0);
    return p == Proxy.NO_PROXY ? "direct" : p.address().toString();
  }

  @Test
  void schemesPickTheirProxyAndLoopbackAndNoProxyGoDirect() {
    EnvProxySelector s = EnvProxySelector.of(Map.of("HTTPS_PROXY", "http://secure.proxy:3128",
        "http_proxy", "plain.proxy:8080", "NO_PROXY", "internal.example, .corp ,10.1.2.3")).orElseThrow();
    assertEquals("secure.proxy/<unresolved>:3128", route(s, "https://example.com/x"));
    assertEquals("plain.proxy/<unresolved>:8080", route(s, "http://example.com/x"));
    for (String url : new String[] {"http://localhost:8080/", "https://127.0.0.1/", "http://[::1]:9/",
        "https://internal.example/", "https://api.internal.example/", "http://git.corp/", "http://10.1.2.3/"}) {
      assertEquals("direct", route(s, url), url);
    }
    assertEquals("secure.proxy/<unresolved>:3128", route(s, "https://notinternal.example/"));
  }

  @Test
  void allProxyIsTheFallbackAndUnusableProxiesMeanNone() {
    EnvProxySelector all = EnvProxySelector.of(Map.of("ALL_PROXY", "http://p:1")).orElseThrow();
    assertEquals("p/<unresolved>:1", route(all, "https://a.b/"));
    assertEquals("p/<unresolved>:1", route(all, "http://a.b/"));
    assertTrue(EnvProxySelector.of(Map.of()).isEmpty());
    assertTrue(EnvProxySelector.of(Map.of("HTTPS_PROXY", "socks5://p:1080")).isEmpty());
    assertTrue(EnvProxySelector.of(Map.of("HTTPS_PROXY", "http://user:secret@p:1")).isEmpty());
    EnvProxySelector star = EnvProxySelector.of(Map.of("HTTPS_PROXY", "http://p:1", "NO_PROXY", "*")).orElseThrow();
    assertEquals("direct", route(star, "https://a.b/"));
  }
}
