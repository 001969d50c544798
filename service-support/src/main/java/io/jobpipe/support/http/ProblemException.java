package io.jobpipe.support.http;

import java.util.Map;

/** A request a service refuses, with the problem that says why; {@link ProblemExceptionHandler} answers it. */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final Map<String, Object> members;

    public ProblemException(ProblemType type, String detail, Map<String, Object> members) {
        super(detail);
        this.type = type;
        this.members = members == null ? Map.of() : Map.copyOf(members);
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> members() {
        return members;
    }

    /** The detail is meant for the caller, so it is the message; no stack trace is worth its cost here. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
