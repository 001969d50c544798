package io.jobpipe.support.http;

/**
 * A kind of problem a service answers with. Each service declares its own (an enum implementing this);
 * the {@code type} URI is stable so senders and tests can branch on it, the title is the same for every
 * occurrence and the detail says what happened this time.
 */
public interface ProblemType {
    int status();

    /** The last part of the type URI, e.g. {@code unknown-connection}. */
    String slug();

    String title();

    default String uri() {
        return Problem.TYPE_PREFIX + slug();
    }

    /** A type declared as a constant, for a service whose types need no enum. */
    static ProblemType of(int status, String slug, String title) {
        return new Declared(status, slug, title);
    }

    /** What {@link #of} makes. */
    record Declared(int status, String slug, String title) implements ProblemType {
    }
}
