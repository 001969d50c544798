package io.jobpipe.worker.callback;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.support.callback.CallbackSecretProperties;
import io.jobpipe.support.callback.CallbackToken;
import io.jobpipe.support.callback.CallbackTokens;
import io.jobpipe.support.callback.CallbackVerification;
import io.jobpipe.worker.config.CallbackProperties;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallbackUrlsTest {
    private static final String SECRET = "callback-secret-0123456789abcdef-0123456789";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00.250Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PublicBaseUrl.Resolver PUBLIC = host -> new InetAddress[]{InetAddress.getByName("203.0.113.7")};
    private static final StageRequested REQUEST = new StageRequested("evt_1", "job_abc", NOW, "docs", "parse", 1, 3,
            new AgentSpec("http", "https://parser.example.com", null), null, NOW.plusSeconds(30));

    @Test
    void shouldGiveEachAttemptAUrlUnderTheBaseWhoseTokenIngestTakesForThatAttemptUntilDeadlinePlusMaxWait() {
        CallbackUrls urls = CallbackUrls.configure(new CallbackProperties("https://jobpipe.example.com/in/", false,
                Duration.ofMinutes(10)), new CallbackSecretProperties(SECRET, null), PUBLIC, CLOCK);
        Instant deadline = NOW.plusSeconds(30);

        URI url = urls.urlFor(REQUEST, deadline).orElseThrow();

        assertThat(url.toString()).startsWith("https://jobpipe.example.com/in/callbacks/");
        String token = url.getPath().substring("/in/callbacks/".length());
        CallbackTokens ingest = new CallbackSecretProperties(SECRET, null).tokens("test");
        assertThat(ingest.verify(token, NOW)).isEqualTo(new CallbackVerification.Valid(new CallbackToken("job_abc",
                "parse", 3, Instant.parse("2025-03-01T12:00:00Z"), Instant.parse("2025-03-01T12:10:31Z"))));
        assertThat(ingest.verify(token, deadline.plus(Duration.ofMinutes(10)))).isInstanceOf(
                CallbackVerification.Valid.class);
        assertThat(ingest.verify(token, deadline.plus(Duration.ofMinutes(10)).plusSeconds(1))).isInstanceOf(
                CallbackVerification.Expired.class);
    }

    @Test
    void shouldGiveNoUrlWithoutAPublicBaseUrlAndNeedNoSecretThen() {
        CallbackUrls urls = CallbackUrls.configure(new CallbackProperties("", false, Duration.ofHours(1)),
                new CallbackSecretProperties(null, null), PUBLIC, CLOCK);

        assertThat(urls).isSameAs(CallbackUrls.NONE);
        assertThat(urls.urlFor(REQUEST, NOW)).isEmpty();
    }

    @Test
    void shouldRefuseToStartWithABaseUrlButNoSecret() {
        assertThatThrownBy(() -> CallbackUrls.configure(new CallbackProperties("https://jobpipe.example.com", false,
                Duration.ofHours(1)), new CallbackSecretProperties("", null), PUBLIC, CLOCK))
                .hasMessageContaining("JOBPIPE_CALLBACK_SECRET")
                .hasMessageContaining("JOBPIPE_PUBLIC_BASE_URL) is set");
    }

    @Test
    void shouldRefuseToStartWithALoopbackBaseUrlRatherThanFallBack() {
        assertThatThrownBy(() -> CallbackUrls.configure(new CallbackProperties("http://localhost:8080", false,
                Duration.ofHours(1)), new CallbackSecretProperties(SECRET, null), PUBLIC, CLOCK))
                .hasMessageContaining("JOBPIPE_PUBLIC_BASE_URL").hasMessageContaining("loopback");
    }
}
