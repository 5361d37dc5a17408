package dev.llmotel.smoke;

/**
 * LangChain4j's open-ai-official models let the OpenAI SDK's exceptions through: a refused call
 * fails with the SDK's 400, thrown by the SDK layer under LangChain4j's span.
 */
class LangChain4jOfficialGovernanceSmokeTest extends AbstractFrameworkGovernanceSmokeTest {
  @Override String appModule() { return "langchain4j-app-official"; }
  @Override String mainClass() { return "dev.llmotel.smoke.langchain4j.LangChain4jOfficialSmokeApp"; }
  @Override String agentName() { return "WeatherAssistant"; }
  @Override String refusedType() { return "com.openai.errors.BadRequestException"; }
  /** The SDK's own exception for data it cannot use, blocking and streamed (through the handler). */
  @Override String unusableAnswerType() { return "com.openai.errors.OpenAIInvalidDataException"; }
  @Override String rejectedStreamType() { return unusableAnswerType(); }
}
