package io.jobpipe.support.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.Map;

/**
 * {@code %logFields} of the text format: {@code " requestId=… jobId=… stage=… attempt=… traceId=…"}, only the
 * fields that are set, in {@link LogContext#FIELDS} order. Values are {@link LogSafe cleaned}, since a job id can
 * come from a record key and must not start a forged line.
 */
public final class LogFieldsConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String field : LogContext.FIELDS) {
            String value = mdc.get(field);
            if (value != null) {
                out.append(' ').append(field).append('=').append(LogSafe.clean(value));
            }
        }
        return out.toString();
    }
}
