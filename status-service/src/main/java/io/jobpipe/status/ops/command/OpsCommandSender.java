package io.jobpipe.status.ops.command;

import io.jobpipe.core.event.OpsCommand;

/** Sends an operator's command to {@code jobpipe.ops.commands}; the orchestrator decides what it does. */
public interface OpsCommandSender {

    /**
     * Returns once the broker acknowledged the command ({@code acks=all}).
     *
     * @throws CommandNotSentException when Kafka did not take it in time; nothing is known to be sent
     */
    void send(OpsCommand command);
}
