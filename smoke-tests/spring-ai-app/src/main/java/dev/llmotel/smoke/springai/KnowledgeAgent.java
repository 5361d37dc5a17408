package dev.llmotel.smoke.springai;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;

/** A RAG flow: documents in Spring AI's in-memory vector store, the best match given to the model. */
final class KnowledgeAgent {
  private final SimpleVectorStore store;
  private final ChatClient client;

  KnowledgeAgent(ChatModel model, EmbeddingModel embeddings) {
    this(model, embeddings, "Paris is sunny in spring.", "Berlin is windy in autumn.");
  }

  /** A store of these documents. */
  KnowledgeAgent(ChatModel model, EmbeddingModel embeddings, String... documents) {
    this.store = SimpleVectorStore.builder(embeddings).build();
    this.store.add(java.util.Arrays.stream(documents).map(Document::new).collect(Collectors.toList()));
    this.client = ChatClient.builder(model).build();
  }

  String answer(String question) {
    List<Document> found = store.similaritySearch(SearchRequest.builder().query(question).topK(1).build());
    String context = found.stream().map(Document::getText).collect(Collectors.joining("\n"));
    return "documents=" + found.size() + " answer="
        + client.prompt().system("Answer from this context: " + context).user(question).call().content();
  }
}
