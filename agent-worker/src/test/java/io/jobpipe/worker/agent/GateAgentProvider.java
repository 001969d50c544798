package io.jobpipe.worker.agent;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.agent.AgentProvider;
import io.jobpipe.core.event.Json;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java:test-gate}: a slow agent for tests of a whole worker. Each run waits until the test opens the gate (or
 * 60 s pass), and counts how many run at once.
 */
public final class GateAgentProvider implements AgentProvider {
    public static final String NAME = "test-gate";

    /** What the runs of {@code java:test-gate} wait on; one per test JVM, reset by the test that uses it. */
    public static final class Gate {
        private static volatile CountDownLatch open = new CountDownLatch(1);
        private static final AtomicInteger running = new AtomicInteger();
        private static final AtomicInteger mostAtOnce = new AtomicInteger();

        private Gate() {
        }

        public static void close() {
            open = new CountDownLatch(1);
            mostAtOnce.set(running.get());
        }

        public static void open() {
            open.countDown();
        }

        public static int running() {
            return running.get();
        }

        public static int mostAtOnce() {
            return mostAtOnce.get();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Agent create() {
        return call -> {
            CountDownLatch gate = Gate.open;
            Gate.mostAtOnce.accumulateAndGet(Gate.running.incrementAndGet(), Math::max);
            try {
                return gate.await(60, TimeUnit.SECONDS)
                        ? AgentOutcome.success(Json.MAPPER.createObjectNode(), "passed the gate")
                        : AgentOutcome.failure("GateNeverOpened", "the test never opened the gate", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return AgentOutcome.failure("Interrupted", "interrupted at the gate", true);
            } finally {
                Gate.running.decrementAndGet();
            }
        };
    }
}
