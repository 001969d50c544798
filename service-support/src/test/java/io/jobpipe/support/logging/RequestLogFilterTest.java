package io.jobpipe.support.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every line written while a request is handled carries its fields, on whichever thread it is written, and none
 * is left behind for the next request; the access log writes one line per request, health probes excluded.
 */
@MicronautTest
@Property(name = "jobpipe.logging.requests.enabled", value = "true")
@Property(name = "spec.name", value = "RequestLogFilterTest")
class RequestLogFilterTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final org.slf4j.Logger CONTROLLER_LOG = LoggerFactory.getLogger("jobpipe.test.controller");

    @Inject
    @Client("/")
    HttpClient client;

    private final ListAppender<ILoggingEvent> controllerLines = new ListAppender<>();
    private final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();

    @BeforeEach
    void capture() {
        attach(CONTROLLER_LOG.getName(), controllerLines);
        attach(AccessLog.LOGGER, accessLines);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(CONTROLLER_LOG.getName())).detachAppender(controllerLines);
        ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(accessLines);
    }

    @Test
    void shouldCarryTheRequestsFieldsOntoTheBlockingPoolAndTheEventLoop() {
        HttpResponse<String> blocking = client.toBlocking().exchange(HttpRequest.GET("/log-test/jobs/job_42")
                .header(RequestIds.HEADER, "req-blocking")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"), String.class);
        client.toBlocking().exchange(HttpRequest.GET("/log-test/event-loop").header(RequestIds.HEADER, "req-loop"), String.class);

        assertThat(blocking.header(RequestIds.HEADER)).isEqualTo("req-blocking");
        ILoggingEvent onPool = line(controllerLines, "req-blocking");
        assertThat(onPool.getThreadName()).doesNotContain("eventLoop");
        assertThat(onPool.getMDCPropertyMap()).containsEntry("jobId", "job_42").containsEntry("traceId", TRACE_ID);
        ILoggingEvent onLoop = line(controllerLines, "req-loop");
        assertThat(onLoop.getMDCPropertyMap()).doesNotContainKeys("jobId", "traceId");
    }

    @Test
    void shouldLeaveNoFieldsBehindForTheNextRequestOnTheSameThreads() {
        for (int i = 0; i < 20; i++) {
            client.toBlocking().exchange(HttpRequest.GET("/log-test/jobs/job_" + i).header(RequestIds.HEADER, "req-" + i));
            client.toBlocking().exchange(HttpRequest.GET("/log-test/event-loop"));
        }

        List<ILoggingEvent> withoutJob = controllerLines.list.stream()
                .filter(e -> e.getFormattedMessage().equals("on the event loop")).toList();
        assertThat(withoutJob).hasSize(20).allSatisfy(e -> {
            assertThat(e.getMDCPropertyMap()).doesNotContainKey("jobId");
            assertThat(e.getMDCPropertyMap().get("requestId")).startsWith("req_");
        });
    }

    @Test
    void shouldWriteOneAccessLinePerRequestButNoneForHealthProbes() {
        client.toBlocking().exchange(HttpRequest.GET("/log-test/jobs/job_7").header(RequestIds.HEADER, "req-access"));
        client.toBlocking().exchange(HttpRequest.GET("/health").header(RequestIds.HEADER, "req-health"));
        client.toBlocking().exchange(HttpRequest.GET("/log-test/event-loop").header(RequestIds.HEADER, "req-after"));

        await().atMost(Duration.ofSeconds(5)).until(() -> accessLines.list.stream()
                .anyMatch(e -> "req-after".equals(e.getMDCPropertyMap().get("requestId"))));
        ILoggingEvent access = line(accessLines, "req-access");
        assertThat(access.getFormattedMessage()).startsWith("method=GET path=/log-test/jobs/job_7 status=200 durationMs=");
        assertThat(access.getMDCPropertyMap()).containsEntry("jobId", "job_7");
        assertThat(accessLines.list).noneMatch(e -> "req-health".equals(e.getMDCPropertyMap().get("requestId")));
    }

    private static void attach(String logger, ListAppender<ILoggingEvent> appender) {
        appender.start();
        ((Logger) LoggerFactory.getLogger(logger)).addAppender(appender);
    }

    private static ILoggingEvent line(ListAppender<ILoggingEvent> appender, String requestId) {
        List<ILoggingEvent> lines = appender.list.stream()
                .filter(e -> requestId.equals(e.getMDCPropertyMap().get("requestId"))).toList();
        assertThat(lines).as("lines of " + requestId).hasSize(1);
        return lines.get(0);
    }

    @Requires(property = "spec.name", value = "RequestLogFilterTest")
    @Controller("/log-test")
    static class LoggingController {

        @Get("/jobs/{jobId}")
        @ExecuteOn(TaskExecutors.BLOCKING)
        String job(@PathVariable String jobId) {
            CONTROLLER_LOG.info("reading job");
            return "ok";
        }

        @Get("/event-loop")
        String eventLoop() {
            CONTROLLER_LOG.info("on the event loop");
            return "ok";
        }
    }
}
