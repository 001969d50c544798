package io.jobpipe.support.logging;

import java.util.Locale;
import java.util.Optional;

/** How a service writes its log lines, chosen by {@code JOBPIPE_LOG_FORMAT}: {@code text} (the default) or {@code json}. */
public enum LogFormat {
    /** One human-readable line per event, job fields as {@code key=value} after the message. */
    TEXT,
    /** One JSON object per line (logstash-logback-encoder), job fields as top-level properties. */
    JSON;

    public static final String VARIABLE = "JOBPIPE_LOG_FORMAT";

    /** The format a setting names, ignoring case and blanks; empty when it names none (an unset value is TEXT). */
    public static Optional<LogFormat> parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return Optional.of(TEXT);
        }
        for (LogFormat format : values()) {
            if (format.name().equalsIgnoreCase(setting.strip())) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /**
     * The format this process logs in, looked up as logback does (system property, then environment variable);
     * TEXT when unset or unknown. For what is printed beside the log, such as Micronaut's start-up banner.
     */
    public static LogFormat configured() {
        String setting = System.getProperty(VARIABLE, System.getenv(VARIABLE));
        return parse(setting).orElse(TEXT);
    }

    /** Micronaut's ASCII-art banner is no JSON object: it is printed with text logs only. */
    public boolean banner() {
        return this == TEXT;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
