package io.jobpipe.status.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageView;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The projector's recent jobs as their rows were when it last wrote or read them, each with the row's version then
 * (PostgreSQL's {@code xmin}: the transaction that wrote it). A batch starts from a cached view instead of reading
 * the job's rows; its update applies only where the row still has that version, so a row that anyone else changed
 * since (a second replica after a rebalance, a rebuild, retention) is never overwritten from a stale copy: the
 * update misses it, and the batch is projected again from the rows.
 * <p>
 * Bounded by an estimate of the views' heap size, least recently used out first; a view larger than
 * {@code maxEntryBytes} (big stage outputs) is not kept. Neither is a finished job's: it rarely has another event (a
 * replay of a dead letter reads its rows then), and under load the finished outnumber the running many times over.
 * Kept, they outlived several young collections each and were copied into the old generation, whose full
 * collections (150-300 ms with Serial) paused every SSE stream of the service. Thread-safe.
 */
final class JobViewCache {
    /** Per job beyond its stages: the record, its strings, the map entry. */
    private static final long JOB_BYTES = 1_024;
    /** Per JSON node: the node object and its place in its parent. */
    private static final long NODE_BYTES = 48;

    /** A job's view and its row's version. */
    record Entry(JobView view, long version, long bytes) {
    }

    private final long maxBytes;
    private final long maxEntryBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    JobViewCache(long maxBytes, long maxEntryBytes) {
        this.maxBytes = maxBytes;
        this.maxEntryBytes = maxEntryBytes;
    }

    synchronized Optional<Entry> get(String jobId) {
        return Optional.ofNullable(entries.get(jobId));
    }

    /** Keeps {@code view} as the row of {@code version}, replacing what was kept of the job (dropping it if finished). */
    synchronized void put(JobView view, long version) {
        remove(view.jobId());
        if (view.state().terminal()) {
            return;
        }
        long size = estimateBytes(view);
        if (size > maxEntryBytes) {
            return;
        }
        entries.put(view.jobId(), new Entry(view, version, size));
        bytes += size;
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    synchronized void invalidate(Collection<String> jobIds) {
        jobIds.forEach(this::remove);
    }

    synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private void remove(String jobId) {
        Entry gone = entries.remove(jobId);
        if (gone != null) {
            bytes -= gone.bytes();
        }
    }

    /** Roughly what {@code view} holds on the heap: two bytes a character, a fixed cost per object. */
    static long estimateBytes(JobView view) {
        long size = JOB_BYTES;
        for (StageView stage : view.stages()) {
            size += 256 + 2L * (length(stage.summary()) + length(stage.error()) + length(stage.log()))
                    + estimateBytes(stage.output());
        }
        return size;
    }

    private static long estimateBytes(JsonNode node) {
        if (node == null) {
            return 0;
        }
        long size = NODE_BYTES;
        if (node.isTextual()) {
            size += 2L * node.textValue().length();
        } else if (node.isContainerNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                size += 2L * field.getKey().length() + estimateBytes(field.getValue());
            }
            if (node.isArray()) {
                for (JsonNode element : node) {
                    size += estimateBytes(element);
                }
            }
        }
        return size;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
