package io.jobpipe.status.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageStatus;
import io.jobpipe.status.projection.StageView;

import java.io.UncheckedIOException;
import java.util.List;

/** Converts between the projection's {@link JobView} and the table rows. */
public final class JobRows {
    private JobRows() {
    }

    public static JobView toView(JobEntity job, List<StageEntity> stages) {
        return new JobView(job.jobId(), job.connection(), job.eventType(), job.deliveryId(), job.requestId(),
                job.pipeline(), JobStatus.valueOf(job.state()), job.currentStage(), job.currentAttempt(),
                job.lastSeq(), job.traceId(), job.errorClass(), job.error(), job.createdAt(), job.updatedAt(), job.finishedAt(),
                stages.stream().map(JobRows::toView).toList());
    }

    public static StageView toView(StageEntity s) {
        return new StageView(s.id().stage(), s.position(), StageStatus.valueOf(s.status()), s.attempts(),
                s.startedAt(), s.endedAt(), s.durationMs(), s.summary(), parse(s.output()), s.error(), s.log(),
                s.logAttempt());
    }

    public static JobEntity toEntity(JobView v) {
        return new JobEntity(v.jobId(), v.connection(), v.eventType(), v.deliveryId(), v.requestId(), v.pipeline(),
                v.state().name(), v.currentStage(), v.currentAttempt(), v.lastSeq(), v.traceId(), v.errorClass(), v.error(),
                v.createdAt(), v.updatedAt(), v.finishedAt(), v.subject());
    }

    public static StageEntity toEntity(String jobId, StageView s) {
        return new StageEntity(new StageKey(jobId, s.name()), s.position(), s.status().name(), s.attempts(),
                s.startedAt(), s.endedAt(), s.durationMs(), s.summary(), write(s.output()), s.error(), s.log(),
                s.logAttempt());
    }

    static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("job_stages.output is not JSON", e);
        }
    }

    static String write(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stage output cannot be written as JSON", e);
        }
    }
}
