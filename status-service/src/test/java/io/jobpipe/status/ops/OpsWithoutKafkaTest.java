package io.jobpipe.status.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.status.ops.auth.AccessFilter;
import io.jobpipe.status.ops.auth.OpsCaller;
import io.jobpipe.status.ops.auth.OpsRole;
import io.jobpipe.status.ops.auth.OpsTokens;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.jobpipe.status.ops.OpsClient.OPERATE_TOKEN;
import static io.jobpipe.status.ops.OpsClient.problem;
import static org.assertj.core.api.Assertions.assertThat;

/** The ops API when Kafka does not answer, and when no tokens are configured. */
class OpsWithoutKafkaTest {

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaDoesNotAcknowledgeTheCommand() throws Exception {
        try (StatusTestApp app = StatusTestApp.withoutKafka("opsnokafka", Map.of("jobpipe.ops.tokens", OpsClient.TOKENS,
                // Nothing listens on port 1: the producer never gets metadata.
                "kafka.bootstrap.servers", "127.0.0.1:1", "jobpipe.ops.send-timeout", "1s",
                "jobpipe.ops.retry-after-seconds", 7))) {
            String jobId = "job-no-kafka-" + System.nanoTime();
            app.bean(JobEventProjector.class).project(TestEvents.incoming(
                    TestEvents.deadLetteredAtEnrich(jobId, Instant.parse("2025-08-01T08:00:00Z"))));
            long started = System.nanoTime();

            HttpResponse<String> reply = new OpsClient(app).post("/ops/jobs/" + jobId + "/replay", OPERATE_TOKEN,
                    "{\"reason\":\"r\"}");

            assertThat(problem(reply, 503).get("type").asText()).isEqualTo("urn:jobpipe:problem:commands-unavailable");
            assertThat(reply.headers().firstValue("Retry-After")).contains("7");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldKeepTheOpsApiClosedWithoutTokensAndSaySoAtStartUp() throws Exception {
        Logger filterLog = (Logger) LoggerFactory.getLogger(AccessFilter.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        filterLog.addAppender(lines);
        try (StatusTestApp app = StatusTestApp.withoutKafka("opsclosed", Map.of())) {
            HttpResponse<String> reply = new OpsClient(app).get("/ops/dead-letters", "dev-read-token");

            assertThat(problem(reply, 401).get("detail").asText()).contains("closed").contains("JOBPIPE_OPS_TOKENS");
            assertThat(reply.headers().firstValue("WWW-Authenticate")).isPresent();
        } finally {
            filterLog.detachAppender(lines);
        }
        assertThat(lines.list).filteredOn(line -> line.getLevel() == Level.WARN).singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage()).contains("closed", "JOBPIPE_OPS_TOKENS"));
    }

    @Test
    void shouldGiveTheDevProfileAReadAndAnOperateToken() {
        try (ApplicationContext context = ApplicationContext.builder().environments("dev").build()) {
            context.getEnvironment().start();
            OpsTokens tokens = OpsTokens.parse(context.getEnvironment().getProperty("jobpipe.ops.tokens", String.class)
                    .orElseThrow());

            assertThat(tokens.find("dev-read-token")).contains(new OpsCaller("dev-read", OpsRole.READ));
            assertThat(tokens.find("dev-operate-token")).contains(new OpsCaller("dev-operate", OpsRole.OPERATE));
        }
    }
}
