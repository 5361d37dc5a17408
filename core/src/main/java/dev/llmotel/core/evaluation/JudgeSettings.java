package dev.llmotel.core.evaluation;

/** Where the judge is and what it may spend: from the agent's configuration, or the offline command's options. */
public final class JudgeSettings {
  public final String baseUrl;
  public final String model;
  /** Never logged, never exported: sent as the bearer token only. */
  public final String apiKey;
  public final long timeoutMillis;
  public final double budgetPerHourUsd;
  public final double budgetPerDayUsd;

  public JudgeSettings(String baseUrl, String model, String apiKey, long timeoutMillis, double budgetPerHourUsd,
      double budgetPerDayUsd) {
    this.baseUrl = baseUrl;
    this.model = model;
    this.apiKey = apiKey;
    this.timeoutMillis = timeoutMillis;
    this.budgetPerHourUsd = budgetPerHourUsd;
    this.budgetPerDayUsd = budgetPerDayUsd;
  }

  @Override
  public String toString() {
    return "judge " + model + " at " + baseUrl; // no key
  }
}
