package io.jobpipe.status.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events and stage rows go to PostgreSQL as COPY text: each value escaped so a tab or newline in a log or a JSON body
 * cannot split a row.
 */
class CopyFieldTest {
    @Test
    void shouldWriteNullAsBackslashNAndPlainTextAsItIs() {
        assertThat(copy(null)).isEqualTo("\\N");
        assertThat(copy("")).isEmpty();
        assertThat(copy("job-42 SUCCEEDED {\"ok\":true}")).isEqualTo("job-42 SUCCEEDED {\"ok\":true}");
    }

    @Test
    void shouldEscapeBackslashTabNewlineAndReturnWhereverTheyAre() {
        assertThat(copy("a\tb")).isEqualTo("a\\tb");
        assertThat(copy("\nfirst")).isEqualTo("\\nfirst");
        assertThat(copy("last\r")).isEqualTo("last\\r");
        assertThat(copy("C:\\dir\\n")).isEqualTo("C:\\\\dir\\\\n");
        assertThat(copy("line 1\r\nline 2\tx\\")).isEqualTo("line 1\\r\\nline 2\\tx\\\\");
    }

    @Test
    void shouldKeepTheTextBetweenEscapesWholeInAJsonBody() {
        assertThat(copy("{\"s\":\"say \\\"hi\\\"\",\n\t\"p\":\"C:\\\\x\"}"))
                .isEqualTo("{\"s\":\"say \\\\\"hi\\\\\"\",\\n\\t\"p\":\"C:\\\\\\\\x\"}");
    }

    private static String copy(String value) {
        StringBuilder text = new StringBuilder("");
        ProjectionStatements.copyField(text, value);
        return text.toString();
    }
}
