package io.jobpipe.worker.agent.command;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandSettingsTest {

    @Test
    void shouldReadEverySetting() {
        CommandSettings settings = CommandSettings.parse(json("""
                {"args": ["--mode", "strict", 3], "env": ["PARSER_TOKEN", "_X1"], "maxOutputBytes": 2048,
                 "maxLogBytes": 4096, "killGrace": "500ms", "keepWorkdir": "on-failure"}"""));

        assertThat(settings).isEqualTo(new CommandSettings(List.of("--mode", "strict", "3"),
                List.of("PARSER_TOKEN", "_X1"), 2048, 4096, Duration.ofMillis(500),
                CommandSettings.KeepWorkdir.ON_FAILURE));
    }

    @Test
    void shouldDefaultWhatIsNotSet() {
        assertThat(CommandSettings.parse(json("{}"))).isEqualTo(CommandSettings.defaults());
        assertThat(CommandSettings.defaults()).isEqualTo(new CommandSettings(List.of(), List.of(), 1024 * 1024,
                1024 * 1024, Duration.ofSeconds(2), CommandSettings.KeepWorkdir.NEVER));
    }

    @Test
    void shouldRefuseWrongSettingsNamingTheKey() {
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"arg\": [\"x\"]}")))
                .hasMessage("unknown setting 'arg'; a command agent takes [args, env, keepWorkdir, killGrace, "
                        + "maxLogBytes, maxOutputBytes]");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"args\": \"--all\"}")))
                .hasMessageContaining("args must be a list");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"args\": [{\"a\": 1}]}")))
                .hasMessageContaining("args must hold plain values");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"env\": [\"1BAD\"]}")))
                .hasMessageContaining("env holds names of environment variables");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"env\": \"TOKEN\"}")))
                .hasMessageContaining("env must be a list");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"maxOutputBytes\": 0}")))
                .hasMessage("maxOutputBytes must be a number of bytes from 1 to 16777216, got 0");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"maxOutputBytes\": 99999999}")))
                .hasMessageContaining("from 1 to 16777216");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"maxLogBytes\": \"1MB\"}")))
                .hasMessageContaining("maxLogBytes must be a number of bytes");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"killGrace\": \"soon\"}")))
                .hasMessageStartingWith("killGrace: 'soon' is not a duration");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"killGrace\": \"1m\"}")))
                .hasMessage("killGrace must be from 0s to 30s, got 1m");
        assertThatThrownBy(() -> CommandSettings.parse(json("{\"keepWorkdir\": \"sometimes\"}")))
                .hasMessage("keepWorkdir must be never, on-failure or always, got 'sometimes'");
        assertThatThrownBy(() -> CommandSettings.parse(json("[1]"))).hasMessageContaining("settings must be a map");
    }
}
