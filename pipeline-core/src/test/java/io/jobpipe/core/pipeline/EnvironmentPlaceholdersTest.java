package io.jobpipe.core.pipeline;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentPlaceholdersTest {
    private static final Map<String, String> ENV = Map.of("PARSER_URL", "http://127.0.0.1:9300/parse", "EMPTY", "");

    private static String fill(String text) {
        return EnvironmentPlaceholders.fill(text, ENV::get, "p.yaml");
    }

    @Test
    void shouldFillSetNamesAndFallBackToDefaults() {
        assertThat(fill("agent: http:${PARSER_URL}\ntimeout: ${PARSER_TIMEOUT:-30s}\nx: '${EMPTY:-unused}'"))
                .isEqualTo("agent: http:http://127.0.0.1:9300/parse\ntimeout: 30s\nx: ''");
    }

    @Test
    void shouldLeaveTemplatesAndEscapedPlaceholdersAlone() {
        assertThat(fill("path: pr-${payload.number}/review.md\nliteral: $${PARSER_URL}"))
                .isEqualTo("path: pr-${payload.number}/review.md\nliteral: ${PARSER_URL}");
    }

    @Test
    void shouldNameTheLineOfANameThatIsNotSet() {
        assertThatThrownBy(() -> fill("pipelines:\n  a:\n    url: ${NOT_SET}\n"))
                .hasMessage("p.yaml line 3: ${NOT_SET} is not set in the environment; set it, or give a default:"
                        + " ${NOT_SET:-value}");
    }
}
