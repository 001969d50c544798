package io.jobpipe.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.json.JsonMergePatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of RFC 7386, appendix A, each as target | patch | result. */
class JsonMergePatchTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}              | {\"a\":\"c\"}              | {\"a\":\"c\"}",
            "{\"a\":\"b\"}              | {\"b\":\"c\"}              | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}              | {\"a\":null}               | {}",
            "{\"a\":\"b\",\"b\":\"c\"}  | {\"a\":null}               | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}            | {\"a\":\"c\"}              | {\"a\":\"c\"}",
            "{\"a\":\"c\"}              | {\"a\":[\"b\"]}            | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}      | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}    | {\"a\":[1]}                | {\"a\":[1]}",
            "[\"a\",\"b\"]              | [\"c\",\"d\"]              | [\"c\",\"d\"]",
            "{\"a\":\"b\"}              | [\"c\"]                    | [\"c\"]",
            "{\"a\":\"foo\"}            | null                       | null",
            "{\"a\":\"foo\"}            | \"bar\"                    | \"bar\"",
            "{\"e\":null}               | {\"a\":1}                  | {\"e\":null,\"a\":1}",
            "[1,2]                      | {\"a\":\"b\",\"c\":null}   | {\"a\":\"b\"}",
            "{}                         | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"})
    void shouldMergeAsTheRfcSays(String target, String patch, String expected) throws Exception {
        JsonNode before = Json.MAPPER.readTree(target);
        String beforeText = before.toString();

        JsonNode result = JsonMergePatch.apply(before, Json.MAPPER.readTree(patch));

        assertThat(result).isEqualTo(Json.MAPPER.readTree(expected));
        assertThat(before.toString()).as("the target is left as it was").isEqualTo(beforeText);
    }
}
