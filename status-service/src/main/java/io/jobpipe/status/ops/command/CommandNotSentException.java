package io.jobpipe.status.ops.command;

/** A command Kafka did not acknowledge in time (broker down, topic missing); the caller may try again. */
public class CommandNotSentException extends RuntimeException {
    public CommandNotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
