package dev.llmotel.smoke.lc4jboot;

import static dev.langchain4j.service.spring.AiServiceWiringMode.EXPLICIT;

import dev.langchain4j.service.spring.AiService;

/**
 * An assistant answering with a typed object: the starter's chat model is configured for structured
 * outputs, so LangChain4j declares the type's JSON Schema as the response format.
 */
@AiService(wiringMode = EXPLICIT, chatModel = "openAiChatModel")
public interface CityAssistant {
  CityAnswer ask(String question);

  /** The typed answer. */
  record CityAnswer(String city, Integer population) {}
}
