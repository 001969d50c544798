package io.jobpipe.runtime.cli;

import io.jobpipe.core.pipeline.Durations;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601, as in pipeline files. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
