package io.jobpipe.status.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PageCursorTest {

    @Test
    void shouldRoundTripThroughItsOpaqueForm() {
        PageCursor cursor = new PageCursor(Instant.parse("2025-01-01T10:00:00.123456Z"), "job_a|b");

        String text = cursor.encode();

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(PageCursor.decode(text)).contains(cursor);
    }

    @Test
    void shouldRejectTextItDidNotIssue() {
        assertThat(PageCursor.decode("not a cursor!")).isEmpty();
        assertThat(PageCursor.decode("aGVsbG8")).isEmpty();
        assertThat(PageCursor.decode("")).isEmpty();
    }
}
