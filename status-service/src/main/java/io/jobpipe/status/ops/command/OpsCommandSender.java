package io.jobpipe.status.ops.command;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.OpsCommand;

import java.util.concurrent.CompletableFuture;

/**
 * Sends an operator's commands: a job's replay or cancel to {@code jobpipe.ops.commands} (the orchestrator decides
 * what it does), a breaker opened or closed by hand to {@code jobpipe.breakers} (every orchestrator obeys it).
 */
public interface OpsCommandSender {

    /**
     * Returns once the broker acknowledged the command ({@code acks=all}).
     *
     * @throws CommandNotSentException when Kafka did not take it in time; nothing is known to be sent
     */
    void send(OpsCommand command);

    /**
     * Hands the command to Kafka and returns at once; the future completes when the broker acknowledged it, or
     * exceptionally with a {@link CommandNotSentException}. Lets a bulk operation keep several commands in flight
     * instead of waiting a round trip for each.
     */
    CompletableFuture<Void> sendAsync(OpsCommand command);

    /**
     * Returns once the broker acknowledged the breaker's new state ({@code acks=all}).
     *
     * @throws CommandNotSentException when Kafka did not take it in time; nothing is known to be sent
     */
    void send(BreakerState state);
}
