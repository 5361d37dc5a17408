package dev.llmotel.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.LlmScope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The output_validation policy in enforce (this module's tests run with it): an answer that does not
 * fit the structure its request declared fails the call with LangChain4j's own exception, thrown
 * by a blocking call and handed to a stream's handler in place of the answer.
 */
class AnswerRejectionTest {
  static final ChatRequest JSON = ChatRequest.builder().messages(UserMessage.from("Who is Ann?"))
      .responseFormat(ResponseFormat.JSON).build();

  static ChatResponse answer(String text) {
    return ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
  }

  @Test
  void aBlockingCallThrowsTheRejectionOfAnAnswerThatDoesNotFit() {
    Object state = LangChain4jCalls.startChat(new ChatMapperTest.OpenAiTestModel(), JSON);
    assertInstanceOf(LlmScope.class, state);
    LangChain4jCalls.endChat(state, answer("Ann is 30."), null);
    Throwable thrown = CallRefusal.thrown(state, null);
    assertInstanceOf(LangChain4jException.class, thrown);
    assertTrue(thrown.getMessage().contains("output_validation"), thrown.getMessage());

    Object fits = LangChain4jCalls.startChat(new ChatMapperTest.OpenAiTestModel(), JSON);
    LangChain4jCalls.endChat(fits, answer("{\"name\":\"Ann\"}"), null);
    assertNull(CallRefusal.thrown(fits, null));
  }

  /** The app's handler, as the provider calls it back. */
  static final class Handler implements StreamingChatResponseHandler {
    final List<Object> got = new ArrayList<>();

    @Override
    public void onPartialResponse(String partialResponse) {}

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      got.add(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      got.add(error);
    }
  }

  /** What the handler advice does around onCompleteResponse: the callback runs unless the answer was rejected. */
  static void complete(Handler handler, ChatResponse response) {
    Object state = LangChain4jCalls.streamCompleted(handler, response);
    if (!(state instanceof LangChain4jCalls.RejectedAnswer)) handler.onCompleteResponse(response);
    LangChain4jCalls.streamCompleteReturned(handler, state);
  }

  @Test
  void aStreamsHandlerGetsTheRejectionInPlaceOfAnAnswerThatDoesNotFit() {
    Handler handler = new Handler();
    Object state = LangChain4jCalls.startStreamingChat(new ChatMapperTest.OpenAiTestModel(), JSON, handler);
    LangChain4jCalls.streamingChatReturned(state, handler, null);
    complete(handler, answer("Ann is 30."));
    assertEquals(1, handler.got.size());
    assertInstanceOf(LangChain4jException.class, handler.got.get(0));

    Handler fits = new Handler();
    LangChain4jCalls.streamingChatReturned(
        LangChain4jCalls.startStreamingChat(new ChatMapperTest.OpenAiTestModel(), JSON, fits), fits, null);
    ChatResponse response = answer("{\"name\":\"Ann\"}");
    complete(fits, response);
    assertEquals(List.of(response), fits.got);
  }
}
