package dev.llmotel.core;

/**
 * What an enter advice returns when the library method must not run at all (its advice's
 * {@code skipOn}): a policy refused the call ({@link CallRefusal}), or fault injection answers it
 * in the library's place. The exit advice then gives the method's outcome.
 */
public abstract class SkippedCall {
  protected SkippedCall() {}
}
