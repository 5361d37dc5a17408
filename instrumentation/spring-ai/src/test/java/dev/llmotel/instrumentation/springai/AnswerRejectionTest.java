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
 * of returning it; a stream, whose chunks have reached the app by then, ends with that exception as
 * its error signal instead of its completion.
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

  /** A stream as Spring AI runs one: the response set on completion (MessageAggregator), then the observation's stop (doFinally). */
  static Flux<ChatResponse> streamed(ChatModelObservationContext context, ChatResponse response) {
    return Flux.defer(() -> {
      TracedObservation observation = observed(context);
      observation.start();
      return Flux.just(response).doOnComplete(() -> context.setResponse(response)).doFinally(s -> observation.stop());
    });
  }

  @Test
  void aStreamWhoseAnswerDoesNotFitEndsWithTheRejectionInsteadOfItsCompletion() {
    ChatResponse incomplete = answer("{\"name\":\"Ann\"}");
    List<ChatResponse> received = new java.util.ArrayList<>();
    List<Throwable> dropped = new java.util.ArrayList<>();
    Hooks.onErrorDropped(dropped::add); // what an exception from doFinally would come to
    try {
      IllegalStateException rejected = assertThrows(IllegalStateException.class,
          () -> StreamSubscription.wrap(streamed(askedForAPerson(), incomplete)).doOnNext(received::add).blockLast());
      assertTrue(rejected.getMessage().contains("output_validation"), rejected.getMessage());
    } finally {
      Hooks.resetOnErrorDropped();
    }
    assertEquals(List.of(incomplete), received, "the chunks reached the app; its completion became the rejection");
    assertEquals(List.of(), dropped);

    // An answer that fits completes, as soon as it is reviewed (not after the fallback's 5 s).
    ChatResponse person = answer("{\"name\":\"Ann\",\"age\":30}");
    long start = System.nanoTime();
    assertEquals(List.of(person), StreamSubscription.wrap(streamed(askedForAPerson(), person)).collectList().block());
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "completed on its review");
  }
}
