package io.jobpipe.ingest.limits;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InFlightBudgetTest {

    @Test
    void shouldRefuseTheRequestThatWouldPassTheRequestCount() {
        InFlightBudget budget = new InFlightBudget(2, 1_000);
        InFlightBudget.Permit first = budget.tryAcquire(1);
        assertThat(budget.tryAcquire(1)).isNotNull();
        assertThat(budget.tryAcquire(1)).isNull();

        first.release();

        assertThat(budget.tryAcquire(1)).isNotNull();
    }

    @Test
    void shouldRefuseTheRequestThatWouldPassTheByteCount() {
        InFlightBudget budget = new InFlightBudget(10, 1_000);
        InFlightBudget.Permit big = budget.tryAcquire(900);
        assertThat(budget.tryAcquire(101)).isNull();
        assertThat(budget.tryAcquire(100)).isNotNull();
        assertThat(budget.bytesInFlight()).isEqualTo(1_000);

        big.release();

        assertThat(budget.bytesInFlight()).isEqualTo(100);
        assertThat(budget.requestsInFlight()).isEqualTo(1);
    }

    @Test
    void shouldLetARequestLargerThanTheBudgetInOnlyWhenItIsAlone() {
        InFlightBudget budget = new InFlightBudget(10, 1_000);
        InFlightBudget.Permit huge = budget.tryAcquire(5_000);
        assertThat(huge).isNotNull();
        assertThat(budget.tryAcquire(1)).isNull();
        huge.release();
        InFlightBudget.Permit small = budget.tryAcquire(1);
        assertThat(budget.tryAcquire(5_000)).isNull();
        small.release();
    }

    @Test
    void shouldGiveAPermitBackOnceHoweverOftenItIsReleased() {
        InFlightBudget budget = new InFlightBudget(2, 1_000);
        InFlightBudget.Permit permit = budget.tryAcquire(10);
        permit.release();
        permit.release();
        assertThat(budget.requestsInFlight()).isZero();
        assertThat(budget.bytesInFlight()).isZero();
    }

    @Test
    void shouldNeverHoldMoreThanTheBudgetUnderContention() throws Exception {
        InFlightBudget budget = new InFlightBudget(5, 500);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        InFlightBudget.Permit permit = budget.tryAcquire(100);
                        if (permit != null) {
                            maxSeen.accumulateAndGet(held.incrementAndGet(), Math::max);
                            held.decrementAndGet();
                            permit.release();
                        }
                    }
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(maxSeen.get()).as("permits held at once").isBetween(1, 5);
        assertThat(budget.requestsInFlight()).isZero();
        assertThat(budget.bytesInFlight()).isZero();
    }

    @Test
    void shouldRefuseAnEmptyBudget() {
        assertThatThrownBy(() -> new InFlightBudget(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InFlightBudget(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
