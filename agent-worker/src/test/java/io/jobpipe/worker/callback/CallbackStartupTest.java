package io.jobpipe.worker.callback;

import io.jobpipe.runtime.infra.FreePorts;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker checks its callback settings as it starts, before it takes any work, and says what to fix. */
class CallbackStartupTest {
    private static final String SECRET = "callback-secret-0123456789abcdef-0123456789";

    @Test
    void shouldNotStartWithALoopbackPublicBaseUrlOutsideDev() {
        assertThatThrownBy(() -> start(Map.of("jobpipe.worker.callbacks.public-base-url", "http://127.0.0.1:8080",
                "jobpipe.callbacks.secret", SECRET)).close())
                .rootCause().hasMessageContaining("JOBPIPE_PUBLIC_BASE_URL").hasMessageContaining("loopback");
    }

    @Test
    void shouldNotStartWithAPublicBaseUrlButAShortSecret() {
        assertThatThrownBy(() -> start(Map.of("jobpipe.worker.callbacks.public-base-url", "https://jobpipe.example.com",
                "jobpipe.callbacks.secret", "short")).close())
                .rootCause().hasMessageContaining("JOBPIPE_CALLBACK_SECRET").hasMessageContaining("at least 32");
    }

    @Test
    void shouldStartWithLoopbackWhenTheDevFlagAllowsIt() throws Exception {
        try (ApplicationContext context = start(Map.of("jobpipe.worker.callbacks.public-base-url", "http://127.0.0.1:8080",
                "jobpipe.worker.callbacks.allow-loopback", "true", "jobpipe.callbacks.secret", SECRET))) {
            assertThat(context.getBean(CallbackUrls.class)).isNotSameAs(CallbackUrls.NONE);
        }
    }

    /** A worker context against a broker that is not there: setup retries in the background, start-up goes on. */
    private static ApplicationContext start(Map<String, Object> callbacks) throws Exception {
        Map<String, Object> properties = new HashMap<>(callbacks);
        properties.put("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next());
        properties.put("kafka.health.enabled", false);
        properties.put("jobpipe.topics.namespace", "worker-callback-startup.");
        properties.put("jobpipe.worker.workspace", Files.createTempDirectory("worker-callbacks").toString());
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", -1);
        return ApplicationContext.run(properties);
    }
}
