package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

/** gen_ai.conversation.id: from the request, the agent run, or the app's baggage. */
class ConversationsTest {
  @Test
  void theRequestsOwnConversationWinsThenTheRunsThenTheBaggage() {
    Context baggage = Context.root().with(Baggage.builder().put(Conversations.BAGGAGE_KEY, "from-baggage").build());
    assertEquals("from-request", Conversations.of(baggage, "from-request"));
    assertEquals("from-baggage", Conversations.of(baggage, null));
    assertNull(Conversations.of(Context.root(), null));
  }

  @Test
  void anIdIsALabelCappedAndWithoutControlCharacters() {
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 1000; i++) huge.append('x');
    assertEquals(Conversations.MAX_LENGTH, Conversations.clean(huge).length());
    assertNull(Conversations.clean("conv\n42"), "a forged id with a line break is dropped");
    assertNull(Conversations.clean("   "));
    assertEquals("conv-42", Conversations.clean("  conv-42 "));
  }
}
