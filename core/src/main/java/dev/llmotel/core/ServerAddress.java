package dev.llmotel.core;

import java.net.URI;

/** server.address and server.port of a base URL; never throws on odd input. */
final class ServerAddress {
  final String host;
  final int port;

  private ServerAddress(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * A service talks to a handful of base URLs, one per client: parsing a URI on every call showed
   * in the profile, so results are kept (bounded: an app building URLs per request gets no cache).
   */
  private static final java.util.Map<String, ServerAddress> parsed = new java.util.concurrent.ConcurrentHashMap<>();
  private static final ServerAddress NONE = new ServerAddress(null, -1);

  static ServerAddress parse(String baseUrl) {
    if (baseUrl == null || baseUrl.isEmpty()) return null;
    ServerAddress cached = parsed.get(baseUrl);
    if (cached == null) {
      cached = parseUncached(baseUrl);
      if (parsed.size() < 64) parsed.put(baseUrl, cached == null ? NONE : cached);
    }
    return cached == NONE ? null : cached;
  }

  private static ServerAddress parseUncached(String baseUrl) {
    try {
      URI uri = URI.create(baseUrl.trim());
      String host = uri.getHost();
      if (host == null) return null;
      int port = uri.getPort();
      if (port < 0) port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
      return new ServerAddress(host, port);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
