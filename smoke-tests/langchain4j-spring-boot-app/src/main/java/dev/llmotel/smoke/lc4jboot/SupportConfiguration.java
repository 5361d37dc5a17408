package dev.llmotel.smoke.lc4jboot;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the support agent knows and remembers: the rental terms, embedded at startup by a local ONNX
 * model into an in-memory store, and a chat memory per session.
 */
@Configuration
public class SupportConfiguration {
  static final List<String> TERMS_OF_USE = List.of(
      "Bookings can be cancelled free of charge up to 7 days before the start of the rental.",
      "A cancellation less than 7 days before the start costs 50% of the booking price.",
      "Cars must be returned with a full tank; otherwise refuelling is charged at 3 EUR per litre.",
      "Drivers must be at least 21 years old and have held a licence for two years.");

  @Bean
  EmbeddingModel embeddingModel() {
    return new AllMiniLmL6V2EmbeddingModel();
  }

  @Bean
  EmbeddingStore<TextSegment> termsOfUseStore(EmbeddingModel embeddingModel) {
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    List<TextSegment> segments = TERMS_OF_USE.stream().map(TextSegment::from).toList();
    store.addAll(embeddingModel.embedAll(segments).content(), segments);
    return store;
  }

  @Bean
  ContentRetriever termsOfUseRetriever(EmbeddingStore<TextSegment> termsOfUseStore, EmbeddingModel embeddingModel) {
    return EmbeddingStoreContentRetriever.builder().embeddingStore(termsOfUseStore).embeddingModel(embeddingModel)
        .maxResults(2).build();
  }

  @Bean
  ChatMemoryProvider supportChatMemoryProvider() {
    return sessionId -> MessageWindowChatMemory.builder().id(sessionId).maxMessages(20).build();
  }
}
