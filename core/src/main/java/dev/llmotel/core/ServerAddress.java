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

  static ServerAddress parse(String baseUrl) {
    if (baseUrl == null || baseUrl.isEmpty()) return null;
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
