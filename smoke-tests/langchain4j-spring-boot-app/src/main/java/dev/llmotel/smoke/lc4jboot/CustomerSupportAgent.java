package dev.llmotel.smoke.lc4jboot;

import static dev.langchain4j.service.spring.AiServiceWiringMode.EXPLICIT;

import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.spring.AiService;

/** The car rental's support agent: remembers each session, looks bookings up, answers from the terms. */
@AiService(wiringMode = EXPLICIT, chatModel = "openAiChatModel", chatMemoryProvider = "supportChatMemoryProvider",
    contentRetriever = "termsOfUseRetriever", tools = "bookingTools")
public interface CustomerSupportAgent {
  @SystemMessage("""
      You are a customer support agent of a car rental company named 'Miles of Smiles'.
      Before giving booking details or cancelling a booking, you MUST know the booking number and the
      customer's name and surname. Answer politely and briefly.""")
  String answer(@MemoryId String sessionId, @UserMessage String message);
}
