package io.jobpipe.worker.stages;

import java.util.ArrayList;
import java.util.List;

/**
 * A stage this worker runs, and how many of its agents may run at once here.
 *
 * @param concurrency the stage's {@code concurrency} in the pipeline file; the highest one when several pipelines
 *                    share the stage (and so its topic)
 */
public record ServedStage(String name, int concurrency) {

    public ServedStage {
        if (concurrency < 1) {
            throw new IllegalArgumentException("stage " + name + ": concurrency must be >= 1, got " + concurrency);
        }
    }

    /**
     * How many records each of the stage's share consumers acquires per poll: as few consumers as hold at most
     * {@code maxPollRecords} each, sharing the stage's concurrency evenly, so that together they never hold more
     * records than the stage's agents can start at once (no record waits in memory under its share-group lock for an
     * agent thread). {@code maxPollRecords} 1 gives every agent its own consumer.
     */
    public List<Integer> recordsPerPoll(int maxPollRecords) {
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be >= 1, got " + maxPollRecords);
        }
        int consumers = (concurrency + maxPollRecords - 1) / maxPollRecords;
        List<Integer> batches = new ArrayList<>(consumers);
        for (int i = 0; i < consumers; i++) {
            batches.add(concurrency / consumers + (i < concurrency % consumers ? 1 : 0));
        }
        return List.copyOf(batches);
    }
}
