package io.jobpipe.ingest.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBodyTest {

    private static JsonBody.Parsed parse(String body) {
        return JsonBody.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldParseAnObjectIntoADocument() {
        JsonBody.Parsed parsed = parse("{\"action\":\"opened\",\"number\":7}");
        assertThat(parsed).isInstanceOf(JsonBody.Document.class);
        assertThat(((JsonBody.Document) parsed).json().get("number").asInt()).isEqualTo(7);
    }

    @Test
    void shouldParseAnArrayIntoADocument() {
        assertThat(parse("[{\"a\":1}]")).isInstanceOf(JsonBody.Document.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t \r\n"})
    void shouldCallBlankBodiesEmpty(String body) {
        assertThat(parse(body)).isInstanceOf(JsonBody.Empty.class);
    }

    @Test
    void shouldCallNullBodyEmpty() {
        assertThat(JsonBody.parse(null)).isInstanceOf(JsonBody.Empty.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"a\":", "{\"a\":1} trailing", "<xml/>", "{'a':1}"})
    void shouldRefuseMalformedJson(String body) {
        assertThat(parse(body)).isInstanceOf(JsonBody.NotJson.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"text\"", "true", "null"})
    void shouldRefuseScalarsBecauseAWebhookIsAnObjectOrArray(String body) {
        JsonBody.Parsed parsed = parse(body);
        assertThat(parsed).isInstanceOf(JsonBody.NotJson.class);
        assertThat(((JsonBody.NotJson) parsed).reason()).startsWith("expected a JSON object or array");
    }

    @Test
    void shouldSayWhereMalformedJsonBreaks() {
        JsonBody.NotJson notJson = (JsonBody.NotJson) parse("{\n  \"a\": tru\n}");
        assertThat(notJson.reason()).contains("line 2");
    }
}
