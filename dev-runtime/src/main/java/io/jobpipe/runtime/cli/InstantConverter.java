package io.jobpipe.runtime.cli;

import io.jobpipe.core.pipeline.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code --since}/{@code --until}: an ISO-8601 instant, or a duration ago ({@code 30m}, {@code 1h}, {@code PT2H}). */
final class InstantConverter implements ITypeConverter<Instant> {
    private final Clock clock;

    InstantConverter() {
        this(Clock.systemUTC());
    }

    InstantConverter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return clock.instant().minus(Durations.parse(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is neither an instant (2025-11-20T10:00:00Z) "
                        + "nor a duration ago (30m, 1h)");
            }
        }
    }
}
