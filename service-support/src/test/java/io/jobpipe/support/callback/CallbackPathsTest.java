package io.jobpipe.support.callback;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackPathsTest {

    @Test
    void shouldHideTheTokenOfACallbackPathAndKeepWhatFollowsIt() {
        assertThat(CallbackPaths.redact("/callbacks/abc.def")).isEqualTo("/callbacks/{token}");
        assertThat(CallbackPaths.redact("/callbacks/abc.def/heartbeat")).isEqualTo("/callbacks/{token}/heartbeat");
        assertThat(CallbackPaths.redact("/callbacks/")).isEqualTo("/callbacks/{token}");
    }

    @Test
    void shouldLeaveOtherPathsAlone() {
        assertThat(CallbackPaths.redact("/webhooks/demo")).isEqualTo("/webhooks/demo");
        assertThat(CallbackPaths.redact("/callbacks")).isEqualTo("/callbacks");
        assertThat(CallbackPaths.redact(null)).isNull();
    }
}
