package io.jobpipe.status.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SseFramesTest {

    @Test
    void shouldFrameAnEventWithIdNameAndData() {
        String frame = new String(SseFrames.event("7", "StageCompleted", "{\"seq\":7}"), StandardCharsets.UTF_8);

        assertThat(frame).isEqualTo("id: 7\nevent: StageCompleted\ndata: {\"seq\":7}\n\n");
    }

    @Test
    void shouldSplitMultiLineDataIntoDataLines() {
        String frame = new String(SseFrames.event("1", "x", "a\nb\r\nc"), StandardCharsets.UTF_8);

        assertThat(frame).isEqualTo("id: 1\nevent: x\ndata: a\ndata: b\ndata: c\n\n");
    }

    @Test
    void shouldSplitOnEveryKindOfLineBreakAndKeepEmptyLines() {
        String frame = new String(SseFrames.event("1", "x", "a\rb\n\nc\r"), StandardCharsets.UTF_8);

        // "a", "b", "", "c", "": a trailing break ends with an empty data line, as the spec's parser reads it back.
        assertThat(frame).isEqualTo("id: 1\nevent: x\ndata: a\ndata: b\ndata: \ndata: c\ndata: \n\n");
    }

    @Test
    void shouldWriteAKeepAliveAsACommentWithoutData() {
        String frame = new String(SseFrames.comment("keep-alive"), StandardCharsets.UTF_8);

        assertThat(frame).isEqualTo(": keep-alive\n\n").doesNotContain("data:");
    }
}
