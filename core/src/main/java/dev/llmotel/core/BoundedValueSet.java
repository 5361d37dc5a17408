package dev.llmotel.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distinct values allowed into an attribute whose values come from callers (workflow names,
 * prompt versions): at most {@code max}, first come first kept, exactly so under any number of
 * threads. A check of the size followed by an add lets every thread that checked at once past the
 * bound, and a flood of made-up values arrives exactly that way; admission of a new value therefore
 * happens under a lock, and a value already admitted (nearly every call) is answered without one.
 */
public final class BoundedValueSet {
  private final int max;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  public BoundedValueSet(int max) {
    this.max = max;
  }

  /** Whether {@code value} is (now) one of the admitted values; false once the set is full. */
  public boolean admit(String value) {
    if (admitted.contains(value)) return true;
    if (admitted.size() >= max) return false;
    synchronized (admitted) {
      if (admitted.contains(value)) return true;
      if (admitted.size() >= max) return false;
      admitted.add(value);
      return true;
    }
  }

  public boolean contains(String value) {
    return admitted.contains(value);
  }

  public int size() {
    return admitted.size();
  }
}
