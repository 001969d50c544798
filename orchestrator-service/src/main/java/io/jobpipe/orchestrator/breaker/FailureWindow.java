package io.jobpipe.orchestrator.breaker;

/** The outcomes of a stage's last {@code size} attempts, oldest overwritten first. */
final class FailureWindow {
    private final boolean[] failed;
    private int next;
    private int count;
    private int failures;

    FailureWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        failed = new boolean[size];
    }

    void add(boolean failure) {
        if (count == failed.length) {
            failures -= failed[next] ? 1 : 0;
        } else {
            count++;
        }
        failed[next] = failure;
        failures += failure ? 1 : 0;
        next = (next + 1) % failed.length;
    }

    int count() {
        return count;
    }

    int failures() {
        return failures;
    }

    int size() {
        return failed.length;
    }

    void clear() {
        next = 0;
        count = 0;
        failures = 0;
    }
}
