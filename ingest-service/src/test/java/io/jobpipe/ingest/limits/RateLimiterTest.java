package io.jobpipe.ingest.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {
    private static final Rate GENEROUS = new Rate(1_000, 1_000);

    @Test
    void shouldAllowABurstThenRefuseTheClientWithItsWait() {
        RateLimiter limiter = new RateLimiter(100);
        Rate client = new Rate(1, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("c", GENEROUS, "203.0.113.1", client).allowed()).isTrue();
        }

        RateLimiter.Decision refused = limiter.tryAcquire("c", GENEROUS, "203.0.113.1", client);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.scope()).isEqualTo("client");
        assertThat(refused.rate()).isEqualTo(client);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(limiter.tryAcquire("c", GENEROUS, "203.0.113.2", client).allowed())
                .as("another client has its own bucket").isTrue();
        assertThat(limiter.tryAcquire("other", GENEROUS, "203.0.113.1", client).allowed())
                .as("and so has the same client on another connection").isTrue();
    }

    @Test
    void shouldRefuseTheConnectionWhateverTheClient() {
        RateLimiter limiter = new RateLimiter(100);
        Rate connection = new Rate(1, 2);
        assertThat(limiter.tryAcquire("c", connection, "a", GENEROUS).allowed()).isTrue();
        assertThat(limiter.tryAcquire("c", connection, "b", GENEROUS).allowed()).isTrue();

        RateLimiter.Decision refused = limiter.tryAcquire("c", connection, "z", GENEROUS);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.scope()).isEqualTo("connection");
        assertThat(refused.rate()).isEqualTo(connection);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void shouldGiveTheClientItsTokenBackWhenTheConnectionRefuses() throws Exception {
        RateLimiter limiter = new RateLimiter(100);
        Rate connection = new Rate(1, 1);
        Rate client = new Rate(1, 2);
        assertThat(limiter.tryAcquire("c", connection, "a", client).allowed()).isTrue();
        assertThat(limiter.tryAcquire("c", connection, "a", client).scope()).isEqualTo("connection");

        Thread.sleep(1_100);

        assertThat(limiter.tryAcquire("c", connection, "a", client).allowed()).isTrue();
        // with its refused token back the client still has one, so it is the connection that refuses again
        assertThat(limiter.tryAcquire("c", connection, "a", client).scope()).isEqualTo("connection");
    }

    @Test
    void shouldRefillAtTheConfiguredRate() throws Exception {
        RateLimiter limiter = new RateLimiter(100);
        Rate fast = new Rate(20, 1);
        assertThat(limiter.tryAcquire("c", GENEROUS, "a", fast).allowed()).isTrue();
        assertThat(limiter.tryAcquire("c", GENEROUS, "a", fast).allowed()).isFalse();

        Thread.sleep(120);

        assertThat(limiter.tryAcquire("c", GENEROUS, "a", fast).allowed()).isTrue();
    }

    @Test
    void shouldForgetIdleClientsOnceTooManyAreTracked() throws Exception {
        RateLimiter limiter = new RateLimiter(10);
        Rate client = new Rate(1_000, 1);
        for (int i = 0; i < 50; i++) {
            limiter.tryAcquire("c", GENEROUS, "198.51.100." + i, client);
        }
        Thread.sleep(1_100); // buckets refill (so nothing is lost by dropping them), and a sweep may run again

        limiter.tryAcquire("c", GENEROUS, "203.0.113.1", client);

        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(10);
    }

    @Test
    void shouldDefaultTheBurstToTwoSecondsOfRate() {
        assertThat(Rate.of(50, null)).isEqualTo(new Rate(50, 100));
        assertThat(Rate.of(50, 7L)).isEqualTo(new Rate(50, 7));
        assertThatThrownBy(() -> new Rate(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
