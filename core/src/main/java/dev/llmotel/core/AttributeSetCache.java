package dev.llmotel.core;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Metric attribute sets reused by the values they are made of: building, sorting and hashing a set
 * per instrument per call was most of what recording a call's metrics cost, and the combinations are
 * few by construction (no ids, no content). Bounded: past its size, sets are built per use, which
 * records the same.
 */
final class AttributeSetCache<V> {
  private final ConcurrentHashMap<List<Object>, V> sets = new ConcurrentHashMap<>();
  /** Entries added or being added: a slot is taken before the put, so racing threads never pass the bound. */
  private final AtomicInteger slots = new AtomicInteger();
  private final int maxSize;

  AttributeSetCache(int maxSize) {
    this.maxSize = maxSize;
  }

  /** The set made of these values (a list compared by value, not changed afterwards). */
  V get(List<Object> values, Function<List<Object>, V> build) {
    V set = sets.get(values);
    if (set != null) return set;
    set = build.apply(values);
    if (slots.get() >= maxSize) return set;
    if (slots.incrementAndGet() > maxSize) {
      slots.decrementAndGet();
      return set;
    }
    V raced = sets.putIfAbsent(values, set);
    if (raced == null) return set;
    slots.decrementAndGet(); // another thread added these values first
    return raced;
  }

  int size() {
    return sets.size();
  }
}
