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

  /**
   * The last set handed out, with its values: a service calls one or two models, so nearly every call
   * asks for the set it asked for last time, and finds it by comparing the values in place. The map's
   * lookup hashes every value first, and a model name read from the response is a new String on each
   * call, its hash computed again.
   */
  private volatile Hit<V> last;

  /** The set made of these values (a list compared by value, not changed afterwards). */
  V get(List<Object> values, Function<List<Object>, V> build) {
    Hit<V> hit = last;
    if (hit != null && sameValues(hit.values, values)) return hit.set;
    V set = sets.get(values);
    if (set != null) {
      last = new Hit<>(values, set);
      return set;
    }
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

  private static boolean sameValues(List<Object> a, List<Object> b) {
    int n = a.size();
    if (n != b.size()) return false;
    for (int i = 0; i < n; i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x != y && (x == null || !x.equals(y))) return false;
    }
    return true;
  }

  private static final class Hit<V> {
    final List<Object> values;
    final V set;

    Hit(List<Object> values, V set) {
      this.values = values;
      this.set = set;
    }
  }

  int size() {
    return sets.size();
  }
}
