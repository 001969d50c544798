package io.jobpipe.status.stats;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stats window and the shares, without a database. */
class StatsWindowTest {
    private static final Instant END = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void shouldLookBackTheWindowFromItsEnd() {
        assertThat(StatsWindow.parse(null, END)).isEqualTo(new StatsWindow(Duration.ofHours(1),
                Instant.parse("2026-01-01T11:00:00Z"), END));
        assertThat(StatsWindow.parse("15m", END).from()).isEqualTo(Instant.parse("2026-01-01T11:45:00Z"));
        assertThat(StatsWindow.parse("P7D", END).length()).isEqualTo(Duration.ofDays(7));
        assertThat(StatsWindow.parse("1m", END).length()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldRefuseWindowsOutsideOneMinuteToSevenDays() {
        for (String text : new String[]{"59s", "169h", "P8D", "tomorrow", "-1h"}) {
            assertThatThrownBy(() -> StatsWindow.parse(text, END)).as(text)
                    .hasMessageContaining("from 1m to 7 days");
        }
    }

    @Test
    void shouldRoundSharesAndKeepAShareOfNothingNull() {
        assertThat(Rates.share(2, 3)).isEqualTo(0.6667);
        assertThat(Rates.share(0, 5)).isEqualTo(0.0);
        assertThat(Rates.share(5, 5)).isEqualTo(1.0);
        assertThat(Rates.share(0, 0)).isNull();
    }
}
