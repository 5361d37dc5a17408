package dev.llmotel.core;

/**
 * One search of a vector store in a RAG flow (a LangChain4j content retriever, a Spring AI vector
 * store query). Becomes a {@code retrieval {gen_ai.data_source.id}} span.
 */
public final class Retrieval {
  private final String dataSourceId;
  private String dbSystem;
  private Long topK;
  private Long documentCount;

  public Retrieval(String dataSourceId) {
    this.dataSourceId = dataSourceId;
  }

  public String dataSourceId() { return dataSourceId; }
  public String dbSystem() { return dbSystem; }
  public Retrieval dbSystem(String v) { this.dbSystem = v; return this; }
  public Long topK() { return topK; }
  public Retrieval topK(Long v) { this.topK = v; return this; }
  public synchronized Long documentCount() { return documentCount; }
  public synchronized Retrieval documentCount(Long v) { this.documentCount = v; return this; }

  /** Documents whose text is kept for injection detection; later ones are counted, not scanned. */
  static final int MAX_SCANNED_DOCUMENTS = 50;
  private java.util.List<String> documentTexts;

  /** The text of one retrieved document, in order (scanned for injections when the span ends; never exported). */
  public synchronized Retrieval addDocumentText(String text) {
    if (text == null) text = "";
    if (documentTexts == null) documentTexts = new java.util.ArrayList<>(4);
    if (documentTexts.size() < MAX_SCANNED_DOCUMENTS) documentTexts.add(text);
    return this;
  }

  public synchronized java.util.List<String> documentTexts() {
    return documentTexts == null ? java.util.Collections.<String>emptyList() : new java.util.ArrayList<>(documentTexts);
  }
}
