package io.jobpipe.runtime.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.JobEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exactly-once check on {@code jobpipe.job.events} as read {@code read_committed} after a crash: for every job
 * of the run, its seqs are contiguous from 1, it has exactly one terminal event (an operator's JobReplayed reopens a
 * dead-lettered job, so the terminal event after it is its next one, not an extra), and no (jobId, seq) appears twice
 * with different content. The same event written twice with the same content (all fields but {@code eventId}) is
 * counted, not failed: a reader deduplicating on (jobId, seq) cannot tell it from one. Pure; not thread-safe.
 */
public final class EventStreamAudit {
    private static final int EXAMPLES = 5;
    private static final String REPLAYED = JobEvent.JobReplayed.class.getSimpleName();

    /**
     * @param jobs                 jobs audited (those of the run that have at least one event)
     * @param outcomes             jobs by terminal event type ({@code none} when a job has no terminal event)
     * @param jobsWithGaps         jobs whose seqs are not exactly 1..max
     * @param identicalDuplicates  (jobId, seq) written again with the same content
     * @param conflictingDuplicates (jobId, seq) written again with different content: a transition applied twice
     * @param extraTerminals       jobs with a terminal event after a terminal one with no JobReplayed between
     * @param missingJobs          jobs of the run with no event at all
     */
    public record Findings(long jobs, Map<String, Long> outcomes, long jobsWithGaps, long identicalDuplicates,
                           long conflictingDuplicates, long extraTerminals, long missingJobs, List<String> examples) {
        public boolean clean() {
            return jobsWithGaps == 0 && conflictingDuplicates == 0 && extraTerminals == 0 && missingJobs == 0;
        }

        public long count(String terminalType) {
            return outcomes.getOrDefault(terminalType, 0L);
        }
    }

    private final Map<String, TreeMap<Long, JsonNode>> byJob = new HashMap<>();
    /** Terminal events of each job that came while it already rested in a terminal state. */
    private final Map<String, Integer> extraTerminalsOf = new HashMap<>();
    /** The terminal type a job rests in; absent while it runs (never ended, or reopened by a replay). */
    private final Map<String, String> lastTerminal = new HashMap<>();
    private long identical;
    private long conflicting;
    private final List<String> examples = new ArrayList<>();

    /** One record of the topic, in offset order; {@code value} is the event's JSON. */
    public void record(String jobId, JsonNode value) {
        long seq = value.path("seq").asLong(-1);
        String type = value.path("type").asText("");
        JsonNode content = withoutEventId(value);
        TreeMap<Long, JsonNode> seqs = byJob.computeIfAbsent(jobId, id -> new TreeMap<>());
        JsonNode earlier = seqs.putIfAbsent(seq, content);
        if (earlier != null) {
            if (earlier.equals(content)) {
                identical++;
            } else {
                conflicting++;
                example("job " + jobId + " seq " + seq + " written twice with different content: " + earlier + " then " + content);
            }
            return;
        }
        if (JobEvent.isTerminalType(type)) {
            if (lastTerminal.put(jobId, type) != null) {
                extraTerminalsOf.merge(jobId, 1, Integer::sum);
            }
        } else if (REPLAYED.equals(type)) {
            lastTerminal.remove(jobId);
        }
    }

    /** The verdict for {@code runJobs}: the jobs the run started (accepted, or seen starting with its delivery ids). */
    public Findings findings(Collection<String> runJobs) {
        long audited = 0;
        long gaps = 0;
        long extra = 0;
        long missing = 0;
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (String jobId : runJobs) {
            TreeMap<Long, JsonNode> seqs = byJob.get(jobId);
            if (seqs == null) {
                missing++;
                example("job " + jobId + " has no event on the topic");
                continue;
            }
            audited++;
            if (seqs.firstKey() != 1 || seqs.lastKey() != seqs.size()) {
                gaps++;
                example("job " + jobId + " seqs are not contiguous from 1: " + seqs.keySet());
            }
            int extraTerminals = extraTerminalsOf.getOrDefault(jobId, 0);
            if (extraTerminals > 0) {
                extra++;
                example("job " + jobId + " has " + extraTerminals + " terminal event(s) after its end");
            }
            outcomes.merge(lastTerminal.getOrDefault(jobId, "none"), 1L, Long::sum);
        }
        return new Findings(audited, outcomes, gaps, identical, conflicting, extra, missing, List.copyOf(examples));
    }

    private void example(String text) {
        if (examples.size() < EXAMPLES) {
            examples.add(text);
        }
    }

    private static JsonNode withoutEventId(JsonNode value) {
        if (value instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            copy.remove("eventId");
            return copy;
        }
        return value;
    }
}
