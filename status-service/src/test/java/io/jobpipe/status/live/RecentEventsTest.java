package io.jobpipe.status.live;

import io.jobpipe.status.store.FeedEvent;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The topic's newest events per job: one contiguous run each, bounded per job, in time and in bytes. */
class RecentEventsTest {
    private static final long KEEP = TimeUnit.SECONDS.toNanos(10);

    private static FeedEvent event(long seq) {
        return new FeedEvent(seq, "StageDispatched", "{\"seq\":" + seq + "}");
    }

    @Test
    void shouldHoldAJobsEventsAsOneRunAndIgnoreRepeats() {
        RecentEvents recent = new RecentEvents(32, 32 * 1024, 1 << 20, KEEP);
        recent.add("job-1", event(1), 0);
        recent.add("job-1", event(2), 1);
        recent.add("job-1", event(2), 2);
        recent.add("job-1", event(1), 3);
        recent.add("job-1", event(3), 4);

        RecentEvents.Held held = recent.held("job-1");
        assertThat(held.coveredFrom()).isZero();
        assertThat(held.last()).isEqualTo(3);
        assertThat(held.events()).extracting(FeedEvent::position).containsExactly(1L, 2L, 3L);
        assertThat(recent.knows("job-1")).isTrue();
        assertThat(recent.held("job-2")).isNull();
    }

    @Test
    void shouldStartTheRunAgainAfterAGapSoItNeverClaimsEventsItDidNotSee() {
        RecentEvents recent = new RecentEvents(32, 32 * 1024, 1 << 20, KEEP);
        recent.add("job-1", event(1), 0);
        recent.add("job-1", event(2), 0);
        recent.add("job-1", event(5), 0);

        RecentEvents.Held held = recent.held("job-1");
        assertThat(held.coveredFrom()).isEqualTo(4);
        assertThat(held.events()).extracting(FeedEvent::position).containsExactly(5L);
        assertThat(recent.bytes()).isEqualTo(event(5).body().length());
    }

    @Test
    void shouldKeepAtMostTheNewestEventsOfAJob() {
        RecentEvents recent = new RecentEvents(3, 32 * 1024, 1 << 20, KEEP);
        for (long seq = 1; seq <= 5; seq++) {
            recent.add("job-1", event(seq), 0);
        }

        RecentEvents.Held held = recent.held("job-1");
        assertThat(held.coveredFrom()).isEqualTo(2);
        assertThat(held.events()).extracting(FeedEvent::position).containsExactly(3L, 4L, 5L);
    }

    @Test
    void shouldForgetJobsQuietLongerThanKeep() {
        RecentEvents recent = new RecentEvents(32, 32 * 1024, 1 << 20, KEEP);
        recent.add("job-old", event(1), 0);
        recent.add("job-busy", event(1), 0);
        recent.add("job-busy", event(2), KEEP);

        recent.add("job-new", event(1), KEEP + 1);

        assertThat(recent.knows("job-old")).isFalse();
        assertThat(recent.knows("job-busy")).isTrue();
        assertThat(recent.knows("job-new")).isTrue();
        assertThat(recent.jobs()).isEqualTo(2);
    }

    @Test
    void shouldForgetTheJobsQuietLongestBeyondTheByteBudget() {
        long eventBytes = event(1).body().length();
        RecentEvents recent = new RecentEvents(32, 32 * 1024, 3 * eventBytes, KEEP);
        recent.add("job-a", event(1), 0);
        recent.add("job-b", event(1), 1);
        recent.add("job-c", event(1), 2);
        recent.add("job-a", event(2), 3);

        recent.add("job-d", event(1), 4);

        assertThat(recent.knows("job-b")).isFalse();
        assertThat(recent.knows("job-c")).isFalse();
        assertThat(recent.knows("job-a")).isTrue();
        assertThat(recent.knows("job-d")).isTrue();
        assertThat(recent.bytes()).isLessThanOrEqualTo(3 * eventBytes);
    }
}
