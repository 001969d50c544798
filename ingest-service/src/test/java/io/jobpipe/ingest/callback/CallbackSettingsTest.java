package io.jobpipe.ingest.callback;

import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.runtime.infra.FreePorts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Callbacks are off unless enabled, and on only with a usable secret: ingest says which setting is wrong. */
class CallbackSettingsTest {

    @Test
    void shouldAnswerThatCallbacksAreOffUnlessEnabled() {
        try (EmbeddedServer server = start(Map.of())) {
            HttpResponse<String> response = new WebhookHttp(server.getURI()).postJson("/callbacks/abc.def",
                    "{\"status\":\"succeeded\",\"output\":1}");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(WebhookHttp.json(response).get("type").asText())
                    .isEqualTo("urn:jobpipe:problem:callbacks-disabled");
        }
    }

    @Test
    void shouldNotStartWithCallbacksEnabledAndNoSecret() {
        assertThatThrownBy(() -> start(Map.of("jobpipe.ingest.callbacks.enabled", "true")).close())
                .rootCause().hasMessageContaining("JOBPIPE_CALLBACK_SECRET")
                .hasMessageContaining("jobpipe.ingest.callbacks.enabled");
    }

    @Test
    void shouldNotStartWithCallbacksEnabledAndAShortSecret() {
        assertThatThrownBy(() -> start(Map.of("jobpipe.ingest.callbacks.enabled", "true",
                "jobpipe.callbacks.secret", "short")).close())
                .rootCause().hasMessageContaining("JOBPIPE_CALLBACK_SECRET").hasMessageContaining("at least 32");
    }

    /** Ingest against a broker that is not there: it starts anyway (and answers 503 where Kafka is needed). */
    private static EmbeddedServer start(Map<String, Object> callbacks) {
        Map<String, Object> properties = new HashMap<>(callbacks);
        properties.put("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next());
        properties.put("jobpipe.topics.namespace", "ingest-callback-settings.");
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", -1);
        return ApplicationContext.run(EmbeddedServer.class, properties, "test");
    }
}
