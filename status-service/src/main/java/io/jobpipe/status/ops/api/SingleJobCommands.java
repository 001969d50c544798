package io.jobpipe.status.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.status.api.StatusProblems;
import io.jobpipe.status.ops.auth.OpsCaller;
import io.jobpipe.status.ops.command.CommandNotSentException;
import io.jobpipe.status.ops.command.CommandRules;
import io.jobpipe.status.ops.command.OpsCommandSender;
import io.jobpipe.status.ops.command.OpsIds;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobReadModel;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Set;

/** A replay or cancel of one job: check it against the read model, send the command, say where to watch. */
@Singleton
public class SingleJobCommands {
    static final Set<String> REPLAY_FIELDS = Set.of("reason", "replayId", "fromStage", "inputPatch");
    static final Set<String> CANCEL_FIELDS = Set.of("reason");
    private static final Logger LOG = LoggerFactory.getLogger(SingleJobCommands.class);

    private final JobReadModel readModel;
    private final OpsCommandSender sender;
    private final Clock clock = Clock.systemUTC();

    public SingleJobCommands(JobReadModel readModel, OpsCommandSender sender) {
        this.readModel = readModel;
        this.sender = sender;
    }

    public CommandAccepted replay(String jobId, String body, OpsCaller caller) {
        JsonNode request = RequestFields.object(body, REPLAY_FIELDS);
        String reason = RequestFields.reason(request);
        String replayId = RequestFields.id(request, "replayId");
        String fromStage = RequestFields.text(request, "fromStage");
        JsonNode inputPatch = RequestFields.json(request, "inputPatch");
        JobView job = readModel.job(jobId).orElseThrow(() -> StatusProblems.jobNotFound(jobId));
        CommandRules.replayRefusal(job).ifPresent(why -> {
            throw OpsProblems.conflict(jobId, job.state().name(), why);
        });
        CommandRules.fromStageRefusal(job, fromStage).ifPresent(why -> {
            throw OpsProblems.invalid("fromStage", why);
        });
        String id = replayId != null ? replayId : OpsIds.newReplayId();
        OpsCommand.ReplayJob command = new OpsCommand.ReplayJob(EventIds.newEventId(), jobId, clock.instant(), id,
                caller.requestedBy(), reason, null, fromStage, inputPatch);
        send(command);
        return new CommandAccepted(jobId, id, command.eventId(), statusUrl(jobId));
    }

    public CommandAccepted cancel(String jobId, String body, OpsCaller caller) {
        String reason = RequestFields.reason(RequestFields.object(body, CANCEL_FIELDS));
        JobView job = readModel.job(jobId).orElseThrow(() -> StatusProblems.jobNotFound(jobId));
        CommandRules.cancelRefusal(job).ifPresent(why -> {
            throw OpsProblems.conflict(jobId, job.state().name(), why);
        });
        OpsCommand.CancelJob command = new OpsCommand.CancelJob(EventIds.newEventId(), jobId, clock.instant(),
                caller.requestedBy(), reason, null);
        send(command);
        return new CommandAccepted(jobId, null, command.eventId(), statusUrl(jobId));
    }

    private void send(OpsCommand command) {
        try {
            sender.send(command);
            LOG.info("{} of job {} sent for {}: {}", command.getClass().getSimpleName(), command.jobId(),
                    command.requestedBy(), command.reason());
        } catch (CommandNotSentException e) {
            LOG.warn("{} of job {} not sent: {}", command.getClass().getSimpleName(), command.jobId(), e.getMessage());
            throw OpsProblems.commandsUnavailable("The command could not be written to Kafka; nothing was sent."
                    + " Try again later.");
        }
    }

    static String statusUrl(String jobId) {
        return "/jobs/" + jobId;
    }
}
