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

    @Test
    void shouldRefuseInvalidUtf8EvenInsideAString() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        JsonBody.Parsed parsed = JsonBody.parse(body);
        assertThat(parsed).isInstanceOf(JsonBody.NotJson.class);
        assertThat(((JsonBody.NotJson) parsed).reason()).contains("UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\ud800\"}", "{\"a\":\"x\\udc00\"}", "[\"\\ude00\\ud83d\"]",
            "{\"\\ud83d\":1}"})
    void shouldRefuseALoneSurrogateEscape(String body) {
        assertThat(parse(body)).isInstanceOf(JsonBody.NotJson.class);
    }

    @Test
    void shouldAcceptAPairedSurrogateEscape() {
        JsonBody.Parsed parsed = parse("{\"smile\":\"\\ud83d\\ude00\"}");
        assertThat(parsed).isInstanceOf(JsonBody.Document.class);
        assertThat(((JsonBody.Document) parsed).json().get("smile").asText()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void shouldRefuseDuplicateKeysAtAnyDepth() {
        assertThat(parse("{\"a\":1,\"a\":2}")).isInstanceOf(JsonBody.NotJson.class);
        assertThat(parse("[{\"x\":{\"b\":1,\"b\":1}}]")).isInstanceOf(JsonBody.NotJson.class);
    }

    @Test
    void shouldAcceptNestingUpToTheLimitAndRefuseOneMore() {
        JsonRules rules = new JsonRules(8, 1000);
        assertThat(JsonBody.parse(("[".repeat(8) + "]".repeat(8)).getBytes(StandardCharsets.UTF_8), rules))
                .isInstanceOf(JsonBody.Document.class);
        byte[] nineDeep = ("[".repeat(9) + "]".repeat(9)).getBytes(StandardCharsets.UTF_8);
        JsonBody.Parsed tooDeep = JsonBody.parse(nineDeep, rules);
        assertThat(tooDeep).isInstanceOf(JsonBody.NotJson.class);
        assertThat(((JsonBody.NotJson) tooDeep).reason()).isEqualTo("the document nests deeper than 8 levels");
    }

    @Test
    void shouldRefuseNestingPastTheDefaultOf64() {
        assertThat(parse("{\"a\":".repeat(64) + "1" + "}".repeat(64))).isInstanceOf(JsonBody.Document.class);
        assertThat(parse("{\"a\":".repeat(65) + "1" + "}".repeat(65))).isInstanceOf(JsonBody.NotJson.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"n\":%s}", "[%s.5]", "[-%s]", "[1e%s]"})
    void shouldRefuseANumberThousandsOfDigitsLong(String template) {
        JsonBody.Parsed parsed = parse(template.formatted("7".repeat(5000)));
        assertThat(parsed).isInstanceOf(JsonBody.NotJson.class);
        assertThat(((JsonBody.NotJson) parsed).reason()).isEqualTo("a number is longer than 1000 characters");
    }

    @Test
    void shouldAcceptALongButReasonableNumber() {
        assertThat(parse("{\"n\":" + "7".repeat(100) + "}")).isInstanceOf(JsonBody.Document.class);
    }
}
