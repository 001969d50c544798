package io.jobpipe.status.ops.api;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.status.ops.auth.OpsCaller;
import io.jobpipe.status.ops.command.CommandNotSentException;
import io.jobpipe.status.ops.command.OpsCommandSender;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Set;

/**
 * An operator opens or closes a breaker by hand: the new state goes to {@code jobpipe.breakers}, where every
 * orchestrator reads it. Opened by hand it is {@code manual}: no probe closes it, only an operator.
 */
@Singleton
public class BreakerCommands {
    static final Set<String> FIELDS = Set.of("reason");
    private static final Logger LOG = LoggerFactory.getLogger(BreakerCommands.class);

    private final BreakerViews views;
    private final OpsCommandSender sender;
    private final Clock clock = Clock.systemUTC();

    public BreakerCommands(BreakerViews views, OpsCommandSender sender) {
        this.views = views;
        this.sender = sender;
    }

    public BreakerChange open(String pipeline, String stage, String body, OpsCaller caller) {
        return change(pipeline, stage, BreakerState.Status.OPEN, body, caller);
    }

    public BreakerChange close(String pipeline, String stage, String body, OpsCaller caller) {
        return change(pipeline, stage, BreakerState.Status.CLOSED, body, caller);
    }

    private BreakerChange change(String pipeline, String stage, BreakerState.Status status, String body,
                                 OpsCaller caller) {
        views.stageOf(pipeline, stage);
        String reason = RequestFields.reason(RequestFields.object(body, FIELDS));
        BreakerState state = new BreakerState(null, pipeline, stage, status, clock.instant(), reason, caller.name(),
                status == BreakerState.Status.OPEN);
        try {
            sender.send(state);
        } catch (CommandNotSentException e) {
            LOG.warn("breaker {} not set {}: {}", state.breaker(), status, e.getMessage());
            throw OpsProblems.commandsUnavailable("The breaker's state could not be written to Kafka; nothing was"
                    + " sent. Try again later.");
        }
        LOG.info("breaker {} set {} by {}: {}", state.breaker(), status, caller.requestedBy(), reason);
        return BreakerChange.of(state);
    }
}
