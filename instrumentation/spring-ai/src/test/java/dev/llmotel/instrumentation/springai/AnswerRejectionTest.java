package dev.llmotel.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.observation.Observation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.api.ResponseFormat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;

/**
 * The output_validation policy in enforce (this module's tests run with it): a blocking call whose
 * answer does not fit the structure its request declared fails with Spring AI's exception instead
 * of returning it; a stream, whose answer has reached the app by then, is not failed.
 */
class AnswerRejectionTest {
  static ChatModelObservationContext askedForAPerson() {
    return ChatMapperTest.context(new Prompt(List.of(new UserMessage("Who is Ann?")),
        ChatMapperTest.openAi11(ResponseFormat.Type.JSON_SCHEMA, ChatMapperTest.PERSON)), "openai");
  }

  static TracedObservation observed(ChatModelObservationContext context) {
    return new TracedObservation(Observation.NOOP, context, SpringAiObservations.operationFor(context));
  }

  static ChatResponse answer(String text) {
    return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
  }

  @Test
  void aBlockingCallThrowsTheRejectionOfAnAnswerThatDoesNotFit() {
    ChatModelObservationContext context = askedForAPerson();
    ChatResponse incomplete = answer("{\"name\":\"Ann\"}");
    // Spring AI's retry module is not on this class path: Spring's own unchecked exception.
    IllegalStateException rejected = assertThrows(IllegalStateException.class, () -> observed(context).observe(() -> {
      context.setResponse(incomplete);
      return incomplete;
    }));
    assertTrue(rejected.getMessage().contains("output_validation"), rejected.getMessage());

    ChatModelObservationContext fits = askedForAPerson();
    ChatResponse person = answer("{\"name\":\"Ann\",\"age\":30}");
    assertSame(person, observed(fits).observe(() -> {
      fits.setResponse(person);
      return person;
    }));
  }

  @Test
  void aStreamIsNotFailedItsAnswerHasReachedTheAppBeforeItsObservationStops() {
    ChatModelObservationContext context = askedForAPerson();
    ChatResponse incomplete = answer("{\"name\":\"Ann\"}");
    Flux<ChatResponse> stream = Flux.defer(() -> {
      TracedObservation observation = observed(context);
      observation.start();
      // As Spring AI's MessageAggregator and doFinally do: the response set on completion, then the stop.
      return Flux.just(incomplete).doOnComplete(() -> context.setResponse(incomplete)).doFinally(s -> observation.stop());
    });
    List<Throwable> dropped = new java.util.ArrayList<>();
    Hooks.onErrorDropped(dropped::add); // what an exception from doFinally would come to
    try {
      assertEquals(List.of(incomplete), StreamSubscription.wrap(stream).collectList().block());
    } finally {
      Hooks.resetOnErrorDropped();
    }
    assertEquals(List.of(), dropped);
  }
}
