package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.StageInput;
import io.jobpipe.worker.agent.builtin.normalize.GenericMapping;
import io.jobpipe.worker.agent.builtin.normalize.GitHubMapping;
import io.jobpipe.worker.agent.builtin.normalize.SlackMapping;
import io.jobpipe.worker.agent.builtin.normalize.SourceMapping;
import io.jobpipe.worker.agent.builtin.normalize.StripeMapping;

import java.util.List;

/**
 * Picks the first source mapping that recognises a payload (GitHub, Slack, Stripe), falling back to the
 * generic one, and maps it to a {@link CanonicalEvent}. Pure: the same input always gives the same event.
 */
public final class EventNormalizer {
    private static final List<SourceMapping> MAPPINGS = List.of(
            new GitHubMapping(), new StripeMapping(), new SlackMapping());
    private static final SourceMapping GENERIC = new GenericMapping();

    private EventNormalizer() {
    }

    public static CanonicalEvent normalize(String connection, String eventType, JsonNode payload) {
        for (SourceMapping mapping : MAPPINGS) {
            if (mapping.recognises(connection, eventType, payload)) {
                return mapping.map(connection, eventType, payload);
            }
        }
        return GENERIC.map(connection, eventType, payload);
    }

    /** The normalize stage's event if an earlier stage produced one, else one made here from the payload. */
    public static CanonicalEvent canonicalEventOf(StageInput input) {
        return input.findOutput("normalize", CanonicalEvent::isCanonical)
                .map(CanonicalEvent::fromJson)
                .orElseGet(() -> normalize(input.connection(), input.eventType(), input.payload()));
    }
}
