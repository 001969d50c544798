package io.jobpipe.status.live;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class StreamQuotaTest {

    @Test
    void shouldRefuseAClientPastItsCapWhileOthersStillOpenStreams() {
        StreamQuota quota = new StreamQuota(10, 2);

        StreamQuota.Result first = quota.tryOpen("10.0.0.1");
        StreamQuota.Result second = quota.tryOpen("10.0.0.1");
        StreamQuota.Result third = quota.tryOpen("10.0.0.1");
        StreamQuota.Result other = quota.tryOpen("10.0.0.2");

        assertThat(first.granted()).isPresent();
        assertThat(second.granted()).isPresent();
        assertThat(third.granted()).isEmpty();
        assertThat(third.refusal()).isEqualTo(StreamQuota.Refusal.CLIENT_FULL);
        assertThat(other.granted()).isPresent();
        assertThat(quota.open()).isEqualTo(3);
        assertThat(quota.openBy("10.0.0.1")).isEqualTo(2);
    }

    @Test
    void shouldRefuseEveryClientOnceTheInstanceIsFullAndTakeThemAgainWhenAStreamEnds() {
        StreamQuota quota = new StreamQuota(2, 5);
        StreamQuota.Lease a = quota.tryOpen("a").granted().orElseThrow();
        quota.tryOpen("b").granted().orElseThrow();

        StreamQuota.Result refused = quota.tryOpen("c");
        a.close();
        a.close();
        StreamQuota.Result later = quota.tryOpen("c");

        assertThat(refused.refusal()).isEqualTo(StreamQuota.Refusal.INSTANCE_FULL);
        assertThat(later.granted()).as("a closed lease frees its place, once").isPresent();
        assertThat(quota.open()).isEqualTo(2);
        assertThat(quota.openBy("a")).isZero();
        assertThat(quota.tryOpen("d").refusal()).isEqualTo(StreamQuota.Refusal.INSTANCE_FULL);
    }

    @Test
    void shouldCapNothingWhenBothCapsAreZero() {
        StreamQuota quota = new StreamQuota(0, 0);

        for (int i = 0; i < 1000; i++) {
            assertThat(quota.tryOpen("one").granted()).isPresent();
        }
        assertThat(quota.open()).isEqualTo(1000);
    }

    @Test
    void shouldNeverGrantMoreThanTheCapsUnderConcurrentOpensAndCloses() throws Exception {
        StreamQuota quota = new StreamQuota(50, 8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String client = "client-" + (t % 4);
                runs.add(pool.submit(() -> {
                    int most = 0;
                    for (int i = 0; i < 5_000; i++) {
                        StreamQuota.Result result = quota.tryOpen(client);
                        most = Math.max(most, quota.openBy(client));
                        result.granted().ifPresent(StreamQuota.Lease::close);
                    }
                    return most;
                }));
            }
            for (Future<Integer> run : runs) {
                assertThat(run.get()).isLessThanOrEqualTo(8);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(quota.open()).isZero();
        assertThat(quota.openBy("client-0")).isZero();
    }
}
