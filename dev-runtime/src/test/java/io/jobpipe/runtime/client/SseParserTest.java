package io.jobpipe.runtime.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {
    private final List<SseEvent> events = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add);

    @Test
    void shouldDispatchAnEventWithItsIdTypeAndDataOnABlankLine() {
        feed("id: 3", "event: StageCompleted", "data: {\"seq\":3}", "");

        assertThat(events).containsExactly(new SseEvent("3", "StageCompleted", "{\"seq\":3}"));
        assertThat(parser.lastEventId()).isEqualTo("3");
    }

    @Test
    void shouldJoinDataLinesWithNewlinesAndStripOnlyOneLeadingSpace() {
        feed("data:first", "data:  second", "data", "");

        assertThat(events).containsExactly(new SseEvent(null, "message", "first\n second\n"));
    }

    @Test
    void shouldIgnoreCommentsUnknownFieldsAndEventsWithoutData() {
        feed(": keep-alive", "", "event: Ping", "", "foo: bar", "data: x", "");

        assertThat(events).containsExactly(new SseEvent(null, "message", "x"));
    }

    @Test
    void shouldKeepTheLastIdForLaterEventsUntilTheServerResetsIt() {
        feed("id: 7", "data: a", "", "data: b", "", "id", "data: c", "");

        assertThat(events).extracting(SseEvent::id).containsExactly("7", "7", null);
    }

    @Test
    void shouldResetTheEventTypeAfterEachDispatch() {
        feed("event: JobAccepted", "data: 1", "", "data: 2", "");

        assertThat(events).extracting(SseEvent::event).containsExactly("JobAccepted", "message");
    }

    @Test
    void shouldDropAnUnterminatedEventWhenTheStreamEnds() {
        feed("id: 9", "data: half");
        parser.end();
        feed("");

        assertThat(events).isEmpty();
        assertThat(parser.lastEventId()).isEqualTo("9");
    }

    @Test
    void shouldRememberTheRetryDelayTheServerAskedFor() {
        feed("retry: 2500", "retry: soon", "");

        assertThat(parser.retryMillis()).isEqualTo(2500L);
    }

    private void feed(String... lines) {
        for (String line : lines) {
            parser.line(line);
        }
    }
}
