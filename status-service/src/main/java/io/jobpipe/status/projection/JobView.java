package io.jobpipe.status.projection;

import io.jobpipe.core.event.JobStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as the read model holds it: one {@code jobs} row and its {@code job_stages} rows, stages in pipeline order.
 *
 * @param lastSeq   seq of the last event applied; the next one expected is {@code lastSeq + 1}
 * @param traceId   W3C trace id of the job, from the first event that carried a {@code traceparent}
 * @param createdAt when the job was accepted (the first event's time if JobAccepted was never seen)
 * @param updatedAt time of the last event applied
 * @param errorClass the error type of the failure or dead letter the job rests in ({@code Cancelled} when cancelled),
 *                   null while it runs or when it completed; what {@code GET /jobs?errorClass=} matches
 */
public record JobView(String jobId, String connection, String eventType, String deliveryId, String requestId,
                      String pipeline, JobStatus state, String currentStage, Integer currentAttempt, long lastSeq,
                      String traceId, String errorClass, String error, Instant createdAt, Instant updatedAt,
                      Instant finishedAt, List<StageView> stages) {

    private static final Comparator<StageView> PIPELINE_ORDER =
            Comparator.comparingInt(StageView::position).thenComparing(StageView::name);

    public JobView {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        stages = inPipelineOrder(stages);
    }

    /** An unmodifiable copy in pipeline order; sorted only when it is not (the projection applies every event here). */
    private static List<StageView> inPipelineOrder(List<StageView> stages) {
        for (int i = 1; i < stages.size(); i++) {
            if (PIPELINE_ORDER.compare(stages.get(i - 1), stages.get(i)) > 0) {
                List<StageView> sorted = new ArrayList<>(stages);
                sorted.sort(PIPELINE_ORDER);
                return List.copyOf(sorted);
            }
        }
        return List.copyOf(stages);
    }

    /**
     * What the job is about, in a line: the text {@code subject} of the first stage output (in pipeline order) that
     * has one, which is the normalize stage's for the built-in pipelines; null before that stage succeeded. Derived
     * from the stages, so a rebuild gives the same.
     */
    public String subject() {
        for (StageView stage : stages) {
            if (stage.output() != null && stage.output().path("subject").isTextual()) {
                return stage.output().path("subject").asText();
            }
        }
        return null;
    }

    public Optional<StageView> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change for a record with many fields; only {@link JobProjectionRules} needs it. */
    public static final class Builder {
        private final String jobId;
        private String connection;
        private String eventType;
        private String deliveryId;
        private String requestId;
        private String pipeline;
        private JobStatus state;
        private String currentStage;
        private Integer currentAttempt;
        private long lastSeq;
        private String traceId;
        private String errorClass;
        private String error;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant finishedAt;
        private final List<StageView> stages;

        private Builder(JobView v) {
            jobId = v.jobId;
            connection = v.connection;
            eventType = v.eventType;
            deliveryId = v.deliveryId;
            requestId = v.requestId;
            pipeline = v.pipeline;
            state = v.state;
            currentStage = v.currentStage;
            currentAttempt = v.currentAttempt;
            lastSeq = v.lastSeq;
            traceId = v.traceId;
            errorClass = v.errorClass;
            error = v.error;
            createdAt = v.createdAt;
            updatedAt = v.updatedAt;
            finishedAt = v.finishedAt;
            stages = new ArrayList<>(v.stages);
        }

        public Builder connection(String value) {
            connection = value;
            return this;
        }

        public Builder eventType(String value) {
            eventType = value;
            return this;
        }

        public Builder deliveryId(String value) {
            deliveryId = value;
            return this;
        }

        public Builder requestId(String value) {
            requestId = value;
            return this;
        }

        public Builder pipeline(String value) {
            pipeline = value;
            return this;
        }

        public Builder state(JobStatus value) {
            state = value;
            return this;
        }

        public Builder currentStage(String value) {
            currentStage = value;
            return this;
        }

        public Builder currentAttempt(Integer value) {
            currentAttempt = value;
            return this;
        }

        public Builder lastSeq(long value) {
            lastSeq = value;
            return this;
        }

        public Builder traceId(String value) {
            traceId = value;
            return this;
        }

        /** The failure the job rests in: its error type and the whole text; both null to clear it. */
        public Builder error(String errorClass, String error) {
            this.errorClass = errorClass;
            this.error = error;
            return this;
        }

        public Builder createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        public Builder finishedAt(Instant value) {
            finishedAt = value;
            return this;
        }

        /** Adds the stage, or replaces the one of the same name (in its place, so the list stays in order). */
        public Builder stage(StageView stage) {
            for (int i = 0; i < stages.size(); i++) {
                if (stages.get(i).name().equals(stage.name())) {
                    stages.set(i, stage);
                    return this;
                }
            }
            stages.add(stage);
            return this;
        }

        public JobView build() {
            return new JobView(jobId, connection, eventType, deliveryId, requestId, pipeline, state, currentStage,
                    currentAttempt, lastSeq, traceId, errorClass, error, createdAt, updatedAt, finishedAt, stages);
        }
    }
}
