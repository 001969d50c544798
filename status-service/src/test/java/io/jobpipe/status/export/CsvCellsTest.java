package io.jobpipe.status.export;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvCellsTest {

    private static String csv(Object... cells) {
        return new String(CsvCells.rows(List.<Object[]>of(cells)), StandardCharsets.UTF_8);
    }

    @Test
    void shouldQuoteWhatRfc4180Quotes() {
        assertThat(csv("plain", "a,b", "say \"hi\"", "two\nlines", 42, null))
                .isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",42,\r\n");
    }

    @Test
    void shouldNeverLetACellRunAsASpreadsheetFormula() {
        assertThat(csv("=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)", "ok=fine"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\",'+1,'-2,'@SUM(A1),ok=fine\r\n");
    }

    @Test
    void shouldWriteInstantsInIso8601Utc() {
        assertThat(csv(Instant.parse("2026-01-31T10:15:30.123Z"))).isEqualTo("2026-01-31T10:15:30.123Z\r\n");
    }
}
