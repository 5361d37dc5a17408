package dev.llmotel.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.core.LlmCall;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.MessageAggregator;
import org.springframework.ai.support.UsageCalculator;
import reactor.core.publisher.Flux;

/**
 * A follow-up call after a tool round: Spring AI reports the loop's running total (the first call's
 * 11 + 2 plus this call's 33 + 7), the span takes the call's own usage. The advice on
 * UsageCalculator is stood in for by calling what it calls.
 */
class CallUsageTest {
  private static ChatResponse response(Usage usage) {
    return new ChatResponse(List.of(new Generation(new AssistantMessage("done"))),
        ChatResponseMetadata.builder().usage(usage).build());
  }

  /** What the model module does, with what the advice adds. */
  private static Usage cumulative(Usage own, ChatResponse previous) {
    Usage reported = UsageCalculator.getCumulativeUsage(own, previous);
    CallUsage.noteCumulative(own, previous, reported);
    return reported;
  }

  @Test
  void aBlockingFollowUpCallReportsItsOwnUsageNotTheLoopsTotal() {
    ChatResponse first = response(cumulative(new DefaultUsage(11, 2), null));
    Usage reported = cumulative(new DefaultUsage(33, 7), first);
    assertEquals(44, reported.getPromptTokens(), "Spring AI's running total");
    LlmCall call = new LlmCall("openai", "chat");
    ChatMapper.response(call, response(reported));
    assertEquals(33L, call.response().inputTokens());
    assertEquals(7L, call.response().outputTokens());
    LlmCall firstCall = new LlmCall("openai", "chat");
    ChatMapper.response(firstCall, first);
    assertEquals(11L, firstCall.response().inputTokens());
    assertEquals(2L, firstCall.response().outputTokens());
  }

  @Test
  void aStreamedFollowUpCallReportsItsOwnUsageThroughSpringAisAggregate() {
    ChatResponse first = response(new DefaultUsage(12, 3));
    // Chunks without usage carry the previous total on; the last one carries the new total.
    Flux<ChatResponse> chunks = Flux.just(response(cumulative(new EmptyUsage(), first)),
        response(cumulative(new EmptyUsage(), first)), response(cumulative(new DefaultUsage(40, 9), first)));
    AtomicReference<ChatResponse> aggregated = new AtomicReference<>();
    new MessageAggregator().aggregate(chunks, aggregated::set).blockLast();
    assertEquals(52, aggregated.get().getMetadata().getUsage().getPromptTokens(), "Spring AI's running total");
    LlmCall call = new LlmCall("openai", "chat");
    ChatMapper.response(call, aggregated.get());
    assertEquals(40L, call.response().inputTokens());
    assertEquals(9L, call.response().outputTokens());
  }

  /**
   * Spring AI 1.1 runs a streamed follow-up inside the first call's stream: both aggregates end with
   * the follow-up's total (the outer call's observation stops first): a call that carried a
   * follow-up takes the earliest usage left, the last follow-up the latest.
   */
  @Test
  void aStreamedLoopGivesEachCallItsOwnUsage() {
    ChatResponse first = response(cumulative(new DefaultUsage(13, 2), null));
    ChatResponse second = response(cumulative(new DefaultUsage(30, 2), first));
    Usage third = cumulative(new DefaultUsage(50, 8), second);
    assertEquals(93, third.getPromptTokens(), "Spring AI's running total");
    int[][] expected = {{13, 2}, {30, 2}, {50, 8}};
    for (int i = 0; i < 3; i++) {
      int[] call = expected[i];
      Flux<ChatResponse> chunks = Flux.just(response(new EmptyUsage()), response(third));
      AtomicReference<ChatResponse> aggregated = new AtomicReference<>();
      new MessageAggregator().aggregate(chunks, aggregated::set).blockLast();
      LlmCall mapped = new LlmCall("openai", "chat");
      if (i < 2) {
        ChatMapper.responseOfCallWithFollowUp(mapped, aggregated.get()); // the first two carried a follow-up
      } else {
        ChatMapper.response(mapped, aggregated.get());
      }
      assertEquals((long) call[0], mapped.response().inputTokens());
      assertEquals((long) call[1], mapped.response().outputTokens());
    }
  }

  @Test
  void aFollowUpWhoseProviderSentNoUsageHasUnknownUsageNotThePreviousCalls() {
    ChatResponse first = response(new DefaultUsage(12, 3));
    LlmCall call = new LlmCall("openai", "chat");
    ChatMapper.response(call, response(cumulative(new EmptyUsage(), first)));
    assertNull(call.response().inputTokens());
    assertNull(call.response().outputTokens());
  }

  @Test
  void aCallOutsideALoopKeepsWhatItReports() {
    LlmCall call = new LlmCall("openai", "chat");
    ChatMapper.response(call, response(cumulative(new DefaultUsage(5, 6), null)));
    assertEquals(5L, call.response().inputTokens());
    assertEquals(6L, call.response().outputTokens());
  }
}
