package io.jobpipe.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import net.logstash.logback.encoder.LogstashEncoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The encoder of every service's log: text or JSON by its {@code format} (which the shared {@code logback.xml}
 * sets from {@code JOBPIPE_LOG_FORMAT}); one line per event either way.
 * <ul>
 *   <li>text: time, level, thread, logger, message, then the job fields that are set ({@code requestId=… jobId=…}),
 *       a stack trace folded onto the same line, so {@code grep jobId=X} finds whole events;</li>
 *   <li>json: logstash-logback-encoder's object ({@code @timestamp}, {@code level}, {@code logger_name},
 *       {@code thread_name}, {@code message}, {@code stack_trace}), every MDC field as a top-level property.</li>
 * </ul>
 * A format it does not know never costs the log: it writes text, and its first line says why.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
    static final String TEXT_PATTERN = "%d{ISO8601} %-5level [%thread] %logger{36} - %msg%logFields"
            // " | "-joined stack trace (8 frames per cause, causes kept), nothing when there is none.
            + "%replace(%replace( %rEx{8}){'[\\r\\n\\t]+', ' | '}){'^ $|( \\| )+$', ''}%nopex%n";

    private String format;
    private Encoder<ILoggingEvent> delegate;
    private String unknownFormat;

    /** {@code text} or {@code json}, case-insensitive; empty means text. */
    public void setFormat(String format) {
        this.format = format;
    }

    @Override
    public void start() {
        Optional<LogFormat> parsed = LogFormat.parse(format);
        if (parsed.isEmpty()) {
            unknownFormat = format;
        }
        delegate = parsed.orElse(LogFormat.TEXT) == LogFormat.JSON ? json() : text();
        delegate.start();
        super.start();
    }

    private Encoder<ILoggingEvent> json() {
        LogstashEncoder json = new LogstashEncoder();
        json.setContext(getContext());
        return json;
    }

    private Encoder<ILoggingEvent> text() {
        PatternLayout layout = new PatternLayout();
        layout.setContext(getContext());
        layout.getInstanceConverterMap().put("logFields", LogFieldsConverter::new);
        layout.setPattern(TEXT_PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
        text.setContext(getContext());
        text.setCharset(StandardCharsets.UTF_8);
        text.setLayout(layout);
        return text;
    }

    @Override
    public byte[] headerBytes() {
        byte[] header = delegate.headerBytes();
        if (unknownFormat == null || !(getContext() instanceof LoggerContext context)) {
            return header;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (header != null) {
            out.writeBytes(header);
        }
        out.writeBytes(delegate.encode(new LoggingEvent(LogFormatEncoder.class.getName(),
                context.getLogger(LogFormatEncoder.class), Level.WARN,
                LogFormat.VARIABLE + "='" + LogSafe.clean(unknownFormat) + "' is neither 'text' nor 'json'; logging as text",
                null, null)));
        return out.toByteArray();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }
}
