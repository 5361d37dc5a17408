package dev.llmotel.smoke;

/** OkHttp 5.5.1 (Kotlin multiplatform; the same Java API). */
class OkHttp5SmokeTest extends AbstractOkHttpSmokeTest {
  @Override String appModule() { return "okhttp-app-5"; }
  @Override boolean hasSdk() { return false; }
}
