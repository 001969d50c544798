package io.jobpipe.support.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The text/JSON switch, through real loggers of a private logback context. */
class LogFormatEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    LogFormatEncoderTest() {
        context.setMDCAdapter(MDC.getMDCAdapter());
    }

    @AfterEach
    void stop() {
        context.stop();
        MDC.clear();
    }

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheJobFields() throws IOException {
        Logger log = loggerWriting("json");

        try (LogContext ignored = LogContext.open().requestId("req_1").jobId("job_1").stage("enrich").attempt(2)
                .traceId(TRACE_ID)) {
            log.info("stage {} done", "enrich");
            log.error("it broke\non two lines", new IllegalStateException("boom", new RuntimeException("cause")));
        }
        log.info("outside any job");

        List<String> lines = lines();
        assertThat(lines).hasSize(3);
        List<JsonNode> objects = new ArrayList<>();
        for (String line : lines) {
            objects.add(JSON.readTree(line));
        }
        JsonNode first = objects.get(0);
        assertThat(first.get("message").asText()).isEqualTo("stage enrich done");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("logger_name").asText()).isEqualTo("jobpipe.test");
        assertThat(first.has("@timestamp")).isTrue();
        assertThat(first.get("requestId").asText()).isEqualTo("req_1");
        assertThat(first.get("jobId").asText()).isEqualTo("job_1");
        assertThat(first.get("stage").asText()).isEqualTo("enrich");
        assertThat(first.get("attempt").asText()).isEqualTo("2");
        assertThat(first.get("traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(objects.get(1).get("stack_trace").asText()).contains("IllegalStateException: boom", "cause");
        assertThat(objects.get(1).get("jobId").asText()).isEqualTo("job_1");
        assertThat(objects.get(2).has("jobId")).isFalse();
    }

    @Test
    void shouldWriteTextWithTheFieldsThatAreSetAndOneLinePerEvent() {
        Logger log = loggerWriting("text");

        try (LogContext ignored = LogContext.open().requestId("req_1").jobId("job_1").stage("act").attempt(1)) {
            log.info("stage {} done", "act");
            log.warn("failed", new IllegalStateException("boom"));
        }
        log.info("outside any job");

        List<String> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains(" INFO ", "jobpipe.test - stage act done requestId=req_1 jobId=job_1 stage=act attempt=1")
                .doesNotContain("traceId=");
        assertThat(lines.get(1)).contains("failed requestId=req_1 jobId=job_1 stage=act attempt=1 java.lang.IllegalStateException: boom | at ");
        assertThat(lines.get(2)).endsWith("jobpipe.test - outside any job");
    }

    @Test
    void shouldKeepAForgedJobIdFromStartingANewTextLine() {
        Logger log = loggerWriting("text");

        try (LogContext ignored = LogContext.open().jobId("job_1\n2026-01-01 ERROR forged")) {
            log.info("hello");
        }

        assertThat(lines()).hasSize(1).first().asString().contains("jobId=job_1?2026-01-01?ERROR?forged");
    }

    @Test
    void shouldLogAsTextAndSaySoWhenTheFormatIsUnknown() {
        Logger log = loggerWriting("xml");

        log.info("still logged");

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("WARN", "JOBPIPE_LOG_FORMAT='xml' is neither 'text' nor 'json'; logging as text");
        assertThat(lines.get(1)).endsWith("jobpipe.test - still logged");
    }

    @Test
    void shouldTreatAnEmptyFormatAsTextAndIgnoreCase() {
        assertThat(LogFormat.parse(null)).contains(LogFormat.TEXT);
        assertThat(LogFormat.parse(" ")).contains(LogFormat.TEXT);
        assertThat(LogFormat.parse(" JSON ")).contains(LogFormat.JSON);
        assertThat(LogFormat.parse("logfmt")).isEmpty();
    }

    @Test
    void shouldPrintMicronautsBannerWithTextLogsOnly() {
        String before = System.getProperty(LogFormat.VARIABLE);
        try {
            System.setProperty(LogFormat.VARIABLE, "json");
            assertThat(LogFormat.configured().banner()).isFalse();
            System.setProperty(LogFormat.VARIABLE, "yaml");
            assertThat(LogFormat.configured().banner()).isTrue();
        } finally {
            if (before == null) {
                System.clearProperty(LogFormat.VARIABLE);
            } else {
                System.setProperty(LogFormat.VARIABLE, before);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTakeTheFormatFromTheSharedConfiguration() throws JoranException, IOException {
        context.putProperty(LogFormat.VARIABLE, "json");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatEncoderTest.class.getResource("/logback.xml"));

        OutputStreamAppender<ILoggingEvent> stdout = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        Encoder<ILoggingEvent> encoder = stdout.getEncoder();
        stdout.setOutputStream(out);
        try (LogContext ignored = LogContext.open().jobId("job_9")) {
            context.getLogger("io.jobpipe.x").info("configured");
        }

        assertThat(encoder).isInstanceOf(LogFormatEncoder.class);
        assertThat(JSON.readTree(lines().get(0)).get("jobId").asText()).isEqualTo("job_9");
        assertThat(context.getLogger("org.apache.kafka").getLevel()).hasToString("WARN");
    }

    private Logger loggerWriting(String format) {
        LogFormatEncoder encoder = new LogFormatEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        Logger logger = context.getLogger("jobpipe.test");
        logger.addAppender(appender);
        logger.setAdditive(false);
        return logger;
    }

    private List<String> lines() {
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
