package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.examples.parsing.FakeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001, {@code examples/document-parsing}: a document goes to an external parser that answers 202 at once and
 * posts its result to the callback URL the worker minted for the attempt, with heartbeats while it works. The incident:
 * the worker's callback URL fell back silently to a localhost nobody listened on, so results were lost. Here the URL
 * comes from the worker's checked public base URL (a bad one stops the worker: PublicBaseUrlTest), the result lands
 * through ingest's {@code /callbacks/{token}}, and the parser's heartbeats show on the job.
 */
class ExampleDocumentParsingTest {
    /** The fake parser on loopback, its URL given to every service as PARSER_URL (the pipeline file reads it). */
    private static final class Parser implements ExampleSystem.FakeService {
        final FakeParser parser;

        Parser() {
            try {
                parser = FakeParser.start(0, Duration.ofMillis(300));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> serviceEnvironment() {
            return Map.of("PARSER_URL", parser.url());
        }

        @Override
        public void close() {
            parser.close();
        }
    }

    private static Parser parser;

    @RegisterExtension
    static final ExampleSystem example = ExampleSystem.of("document-parsing").withFake(() -> {
        parser = new Parser();
        return parser;
    });

    @Test
    void shouldParseADocumentThroughTheParsersCallbackAndShowItsHeartbeats() throws Exception {
        String job = example.http().postDemo("upload", "{\"document_url\":\"https://files.example.com/invoice-17.pdf\"}");

        JsonNode done = example.http().awaitState(job, "COMPLETED", Duration.ofSeconds(60));
        JsonNode parse = done.get("stages").get(1);
        assertThat(parse.get("name").asText()).isEqualTo("parse");
        assertThat(parse.get("attempts").asInt()).as("one attempt: the callback answered it").isEqualTo(1);
        assertThat(parse.get("summary").asText()).isEqualTo("3 pages parsed");
        assertThat(parse.get("output").get("text").asText()).isEqualTo("Invoice 17: 3 items, 42.00 EUR");
        String history = example.http().get("/jobs/" + job + "/events").body();
        assertThat(history).contains("waiting for the agent's callback", "page 1 of 3", "page 3 of 3");
        assertThat(parser.parser.callbacksAnswered()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldFailTheJobAtOnceWhenTheParserCallsBackWithANonRetryableFailure() throws Exception {
        String job = example.http().postDemo("upload", "{\"document_url\":\"https://files.example.com/corrupt.bin\"}");

        JsonNode failed = example.http().awaitState(job, "FAILED", Duration.ofSeconds(60));
        assertThat(failed.get("error").asText()).contains("UnreadableDocument", "is not a PDF");
        assertThat(failed.get("stages").get(1).get("attempts").asInt()).isEqualTo(1);
    }
}
