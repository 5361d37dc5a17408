package dev.llmotel.core.http;

/** What a request URL was recognised as: which provider, which wire format, the model in the path if any. */
public final class LlmEndpoint {
  public final String provider;
  public final WireFormat format;
  public final String pathModel;

  LlmEndpoint(String provider, WireFormat format, String pathModel) {
    this.provider = provider;
    this.format = format;
    this.pathModel = pathModel;
  }
}
