package io.jobpipe.runtime.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DlqProgressLineTest {
    private final StringWriter text = new StringWriter();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void shouldRewriteTheLineInPlaceOnATerminal() {
        ProgressLine line = new ProgressLine(new PrintWriter(text), true, nanos::get);

        line.update("replay rpl_x: 10/500 sent, 0 failed");
        line.update("replay rpl_x: 9/9 sent");
        line.finish();

        assertThat(text.toString()).isEqualTo("\rreplay rpl_x: 10/500 sent, 0 failed"
                + "\rreplay rpl_x: 9/9 sent" + " ".repeat(13) + System.lineSeparator());
    }

    @Test
    void shouldPrintALineAtMostEverySecondElsewhereAndTheLastStateAtTheEnd() {
        ProgressLine line = new ProgressLine(new PrintWriter(text), false, nanos::get);

        line.update("a");
        nanos.set(500_000_000L);
        line.update("b");
        nanos.set(1_000_000_000L);
        line.update("c");
        line.update("c");
        nanos.set(1_200_000_000L);
        line.update("d");
        line.finish();

        assertThat(text.toString().lines()).containsExactly("a", "c", "d");
    }
}
