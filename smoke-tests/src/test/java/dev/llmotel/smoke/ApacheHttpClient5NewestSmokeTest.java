package dev.llmotel.smoke;

import java.util.List;

/** Apache HttpClient 5 classic, the newest release of the line proven here. */
class ApacheHttpClient5NewestSmokeTest extends AbstractRawHttpSmokeTest {
  @Override String appModule() { return "apache-httpclient-5-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp"; }
  @Override String scope() { return "dev.llmotel.apache-httpclient-5"; }
  @Override String asyncScenario() { return "chat-handler"; }
  @Override List<String> extraScenarios() { return List.of("body-read-once"); }
}
