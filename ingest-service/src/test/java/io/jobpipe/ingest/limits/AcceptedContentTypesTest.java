package io.jobpipe.ingest.limits;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcceptedContentTypesTest {

    @Test
    void shouldMatchTheMediaTypeIgnoringParametersAndCase() {
        AcceptedContentTypes json = new AcceptedContentTypes(List.of("application/json"));
        assertThat(json.accepts("application/json")).isTrue();
        assertThat(json.accepts("Application/JSON; charset=utf-8")).isTrue();
        assertThat(json.accepts("text/plain")).isFalse();
        assertThat(json.accepts("application/x-www-form-urlencoded")).isFalse();
        assertThat(json.accepts("application/jsonx")).isFalse();
    }

    @Test
    void shouldRefuseARequestWithoutContentType() {
        assertThat(new AcceptedContentTypes(List.of("*/*")).accepts(null)).isFalse();
        assertThat(new AcceptedContentTypes(List.of("*/*")).accepts(" ")).isFalse();
    }

    @Test
    void shouldAcceptSeveralTypesAndRanges() {
        AcceptedContentTypes github = new AcceptedContentTypes(List.of("application/json",
                "application/x-www-form-urlencoded"));
        assertThat(github.accepts("application/x-www-form-urlencoded")).isTrue();
        AcceptedContentTypes anyApplication = new AcceptedContentTypes(List.of("application/*"));
        assertThat(anyApplication.accepts("application/cloudevents+json")).isTrue();
        assertThat(anyApplication.accepts("text/plain")).isFalse();
    }

    @Test
    void shouldRefuseAConfigurationThatIsNoMediaType() {
        assertThatThrownBy(() -> new AcceptedContentTypes(List.of("json")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AcceptedContentTypes(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
