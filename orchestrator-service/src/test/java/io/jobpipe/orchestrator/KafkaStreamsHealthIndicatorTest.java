package io.jobpipe.orchestrator;

import io.jobpipe.support.config.TopicsProperties;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class KafkaStreamsHealthIndicatorTest {

    @ParameterizedTest
    @EnumSource(KafkaStreams.State.class)
    void shouldBeUpOnlyWhileRunningOrRebalancing(KafkaStreams.State state) {
        HealthResult result = resultFor(state, true);

        boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        assertThat(result.getStatus()).isEqualTo(up ? HealthStatus.UP : HealthStatus.DOWN);
        assertThat((Map<String, Object>) result.getDetails()).containsEntry("state", state.name());
    }

    @Test
    void shouldBeDownDuringTheFirstRebalance() {
        assertThat(resultFor(KafkaStreams.State.REBALANCING, false).getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(resultFor(KafkaStreams.State.RUNNING, true).getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void shouldBeDownBeforeStreamsStarted() {
        HealthResult result = resultFor(null, false);

        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat((Map<String, Object>) result.getDetails()).containsEntry("state", "NOT_STARTED");
    }

    private static HealthResult resultFor(KafkaStreams.State state, boolean hasBeenRunning) {
        OrchestratorRuntime runtime = new OrchestratorRuntime(null,
                new TopicsProperties("ns.", 1, (short) 1, false), null, null, null, null, null, null) {
            @Override
            public KafkaStreams.State state() {
                return state;
            }

            @Override
            public boolean hasBeenRunning() {
                return hasBeenRunning;
            }
        };
        CompletableFuture<HealthResult> first = new CompletableFuture<>();
        new KafkaStreamsHealthIndicator(runtime).getResult().subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(HealthResult result) {
                first.complete(result);
            }

            @Override
            public void onError(Throwable error) {
                first.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
            }
        });
        return first.join();
    }
}
