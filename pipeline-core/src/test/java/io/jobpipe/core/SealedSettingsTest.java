package io.jobpipe.core;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.pipeline.SealedSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Inline secrets and URLs of a stage's agent travel sealed; the worker opens them from its own pipeline file. */
class SealedSettingsTest {
    private static final AgentSpec NOTIFY = new AgentSpec("builtin", "notify", settings("""
            {"subscribers": [
               {"url": "https://hooks.slack.example/services/T0/B0/s3cretpath", "secret": "hunter2"},
               {"url": "https://b.example.com/in", "secretEnv": "B_SECRET"}],
             "signingSecret": "whsec_abc", "apiToken": "tok-123", "timeout": "5s", "retries": 3}
            """));
    private static final AgentSpec HTTP = new AgentSpec("http", "https://agents.example.com/run?code=k3y",
            settings("{\"secret\":\"inline\",\"mode\":\"async\"}"));

    @Test
    void shouldSealUrlsAndSecretsAndLeaveTheRestInClear() throws Exception {
        AgentSpec sealed = SealedSettings.seal(NOTIFY);

        String json = Json.MAPPER.writeValueAsString(sealed);
        assertThat(json).doesNotContain("hunter2", "s3cretpath", "/services", "whsec_abc", "tok-123", "/in\"");
        assertThat(json).contains("\"secretEnv\":\"B_SECRET\"", "\"timeout\":\"5s\"", "\"retries\":3");
        Map<?, ?> first = (Map<?, ?>) ((java.util.List<?>) sealed.settings().get("subscribers")).get(0);
        assertThat((String) first.get("url")).matches("sealed:https://hooks\\.slack\\.example#[0-9a-f]{12}");
        assertThat((String) first.get("secret")).matches("sealed:#[0-9a-f]{12}");
        assertThat(SealedSettings.isSealed(sealed)).isTrue();
        assertThat(SealedSettings.isSealed(NOTIFY)).isFalse();
    }

    @Test
    void shouldSealAUrlTargetAndNameItByItsOriginOnly() {
        AgentSpec sealed = SealedSettings.seal(HTTP);

        assertThat(sealed.target()).matches("sealed:https://agents\\.example\\.com#[0-9a-f]{12}");
        assertThat(sealed.settings().get("mode")).isEqualTo("async");
        assertThat(HTTP.toString()).isEqualTo("http:https://agents.example.com/…");
        assertThat(AgentSpec.builtin("act").toString()).isEqualTo("builtin:act");
    }

    @Test
    void shouldLeaveASpecWithNothingToSealAsItIs() {
        AgentSpec plain = new AgentSpec("command", "./act.sh", settings("{\"secretEnv\":\"X\",\"cwd\":\"/tmp\"}"));

        assertThat(SealedSettings.seal(plain)).isEqualTo(plain);
        assertThat(SealedSettings.seal(AgentSpec.builtin("act"))).isEqualTo(AgentSpec.builtin("act"));
    }

    @Test
    void shouldOpenWhatTheWorkersOwnFileSealsTheSameAfterTheRecordsRoundTrip() throws Exception {
        for (AgentSpec spec : new AgentSpec[]{NOTIFY, HTTP}) {
            AgentSpec travelled = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(SealedSettings.seal(spec)),
                    AgentSpec.class);

            assertThat(SealedSettings.unseal(travelled, spec, SealedSettings.seal(spec))).isEqualTo(spec);
        }
    }

    @Test
    void shouldKeepTheOrchestratorsValuesInClearWhenOnlyThoseDiffer() {
        AgentSpec orchestrators = new AgentSpec("http", HTTP.target(), settings("{\"secret\":\"inline\",\"mode\":\"sync\"}"));

        AgentSpec opened = SealedSettings.unseal(SealedSettings.seal(orchestrators), HTTP, SealedSettings.seal(HTTP));

        assertThat(opened.settings()).containsEntry("mode", "sync").containsEntry("secret", "inline");
        assertThat(opened.target()).isEqualTo(HTTP.target());
    }

    @Test
    void shouldRefuseToOpenWithAValueThatIsNotTheOrchestratorsNamingWhere() {
        AgentSpec workers = new AgentSpec("builtin", "notify", settings("""
                {"subscribers": [
                   {"url": "https://hooks.slack.example/services/T0/B0/s3cretpath", "secret": "another"},
                   {"url": "https://b.example.com/in", "secretEnv": "B_SECRET"}],
                 "signingSecret": "whsec_abc", "apiToken": "tok-123"}
                """));
        AgentSpec otherUrl = new AgentSpec("http", "https://agents.example.com/other", HTTP.settings());
        AgentSpec sealed = SealedSettings.seal(NOTIFY);

        assertThatThrownBy(() -> SealedSettings.unseal(sealed, workers, SealedSettings.seal(workers)))
                .isInstanceOf(SealedSettings.Mismatch.class)
                .hasMessageStartingWith("settings.subscribers[0].secret differs between the orchestrator's pipeline"
                        + " file and this worker's")
                .hasMessageNotContaining("another").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> SealedSettings.unseal(SealedSettings.seal(HTTP), otherUrl, SealedSettings.seal(otherUrl)))
                .isInstanceOf(SealedSettings.Mismatch.class).hasMessageContaining("the agent's URL differs")
                .hasMessageNotContaining("/other").hasMessageNotContaining("k3y");
        AgentSpec noSecret = new AgentSpec("http", HTTP.target(), Map.of("mode", "async"));
        assertThatThrownBy(() -> SealedSettings.unseal(SealedSettings.seal(HTTP), noSecret, SealedSettings.seal(noSecret)))
                .isInstanceOf(SealedSettings.Mismatch.class).hasMessageContaining("settings.secret")
                .hasMessageContaining("nothing here");
    }

    @Test
    void shouldSealEveryStageOfACatalog() {
        PipelineCatalog catalog = PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages:
                      - name: fetch
                        agent: http:https://agents.example.com/fetch?key=k3y
                        settings: { secret: hunter2 }
                      - name: store
                """);

        PipelineCatalog sealed = catalog.sealed();

        AgentSpec fetch = sealed.pipeline("default").orElseThrow().stage(0).agent();
        assertThat(fetch.target()).startsWith("sealed:https://agents.example.com#");
        assertThat((String) fetch.settings().get("secret")).startsWith("sealed:#");
        assertThat(sealed.pipeline("default").orElseThrow().stage(1).agent()).isEqualTo(AgentSpec.builtin("store"));
        assertThat(sealed.route("any", "any")).isPresent();
    }

    private static Map<String, Object> settings(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
