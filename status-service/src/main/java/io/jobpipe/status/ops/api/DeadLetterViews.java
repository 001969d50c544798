package io.jobpipe.status.ops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.api.OpsHistory;
import io.jobpipe.status.api.PageCursor;
import io.jobpipe.status.store.DeadLetterRecord;
import io.jobpipe.status.store.DeadLetterRecords;
import io.jobpipe.status.store.EventEntity;
import io.jobpipe.status.store.JobOpsRow;
import io.jobpipe.status.store.JobReadModel;
import io.jobpipe.status.store.JobSelection;
import io.jobpipe.status.store.OpsQueries;
import jakarta.inject.Singleton;

import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/** The read side of the ops API's dead-letter views, assembled from the read model and the dead-letter table. */
@Singleton
public class DeadLetterViews {
    /** A job's history is read whole for the detail view; far beyond any real job's length. */
    private static final int HISTORY_LIMIT = 10_000;

    private final OpsQueries queries;
    private final DeadLetterRecords records;
    private final JobReadModel readModel;

    public DeadLetterViews(OpsQueries queries, DeadLetterRecords records, JobReadModel readModel) {
        this.queries = queries;
        this.records = records;
        this.readModel = readModel;
    }

    public DeadLetterPage page(JobSelection selection, int limit, PageCursor cursor) {
        List<JobOpsRow> rows = queries.select(selection, limit + 1, cursor == null ? null : cursor.createdAt(),
                cursor == null ? null : cursor.jobId());
        List<JobOpsRow> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = null;
        if (rows.size() > limit) {
            JobOpsRow last = page.get(page.size() - 1);
            next = new PageCursor(last.at(), last.jobId()).encode();
        }
        return new DeadLetterPage(page.stream().map(DeadLetterItem::of).toList(), next);
    }

    public DeadLetterDetail detail(String jobId) {
        JobOpsRow row = queries.job(jobId).filter(JobOpsRow::deadLettered)
                .orElseThrow(() -> OpsProblems.notDeadLettered(jobId));
        List<EventEntity> history = readModel.eventsAfter(jobId, 0, HISTORY_LIMIT);
        List<JobEvent> events = history.stream().map(JobReadModel::parse).toList();
        OpsHistory ops = OpsHistory.of(events);
        List<DeadLetterDetail.FailedAttempt> attempts = events.stream()
                .filter(JobEvent.StageAttemptFailed.class::isInstance).map(JobEvent.StageAttemptFailed.class::cast)
                .map(e -> new DeadLetterDetail.FailedAttempt(e.stage(), e.attempt(), e.startedAt(), e.durationMs(),
                        e.errorType(), e.message(), e.retryable(), e.nextAttemptAt()))
                .toList();
        DeadLetterDetail.Record record = records.latestFor(jobId).map(DeadLetterViews::record).orElse(null);
        return new DeadLetterDetail(row.jobId(), row.state(), row.pipeline(), row.connection(), row.eventType(),
                row.stage(), row.errorClass(), row.errorMessage(), row.attempts(), row.at(), row.replays(),
                row.parked(), record, attempts, ops.replays(), ops.refusedReplays(),
                history.stream().map(e -> new DeadLetterDetail.HistoryEntry(e.type(), e.seq(), e.occurredAt(),
                        tree(e.body()))).toList());
    }

    private static DeadLetterDetail.Record record(DeadLetterRecord r) {
        return new DeadLetterDetail.Record(r.topic(), r.partition(), r.offset(), r.headers(),
                r.valueJson() == null ? null : tree(r.valueJson()),
                r.rawValue() == null ? null : Base64.getEncoder().encodeToString(r.rawValue()));
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored JSON does not parse", e);
        }
    }
}
