package io.jobpipe.support.logging;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    @Test
    void shouldKeepACallersPlainRequestId() {
        assertThat(RequestIds.resolve("abc-123_x.y:z")).isEqualTo("abc-123_x.y:z");
        assertThat(RequestIds.resolve("  padded  ")).isEqualTo("padded");
    }

    @Test
    void shouldReplaceIdsThatCouldForgeLogLines() {
        assertThat(RequestIds.resolve("evil\nlevel=ERROR")).startsWith("req_");
        assertThat(RequestIds.resolve("a b")).startsWith("req_");
        assertThat(RequestIds.resolve("x".repeat(129))).startsWith("req_");
    }

    @Test
    void shouldGenerateDistinctIdsWhenCallerSentNone() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(RequestIds.resolve(null));
        }
        assertThat(ids).hasSize(1000).allMatch(id -> id.matches("req_[A-Za-z0-9_-]{16}"));
    }
}
