package io.jobpipe.ingest.dedup;

import io.jobpipe.core.event.EventIds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobIdsTest {
    private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
    private final JobIds jobIds = new JobIds(KEY);

    @Test
    void shouldDeriveTheSameJobIdForTheSameDeliveryEveryTime() {
        assertThat(jobIds.forDelivery("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958"))
                .isEqualTo(new JobIds(KEY).forDelivery("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958"));
    }

    @Test
    void shouldHaveTheShapeOfARandomJobId() {
        String keyed = jobIds.forDelivery("github", "d-1");
        assertThat(keyed).matches("job_[A-Za-z0-9_-]{22}");
        assertThat(keyed).hasSameSizeAs(EventIds.newJobId());
    }

    @Test
    void shouldDifferByConnectionDeliveryAndKey() {
        String id = jobIds.forDelivery("github", "d-1");
        assertThat(jobIds.forDelivery("stripe", "d-1")).isNotEqualTo(id);
        assertThat(jobIds.forDelivery("github", "d-2")).isNotEqualTo(id);
        assertThat(new JobIds("x".repeat(32).getBytes(StandardCharsets.UTF_8)).forDelivery("github", "d-1"))
                .isNotEqualTo(id);
        // Length-prefixed: moving a character from the connection to the delivery id changes the id.
        assertThat(jobIds.forDelivery("ab", "c")).isNotEqualTo(jobIds.forDelivery("a", "bc"));
    }

    @Test
    void shouldMatchHmacSha256OfTheLengthPrefixedPair() {
        // HMAC-SHA256("k"*32, 00000001 'a' 00000001 'b'), first 16 bytes, base64url: computed independently with openssl.
        assertThat(jobIds.forDelivery("a", "b")).isEqualTo("job_PLXdIleJR2RJP4ubY94wow");
    }

    @Test
    void shouldRefuseAShortKey() {
        assertThatThrownBy(() -> new JobIds(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
    }

    @Test
    void shouldHashABodyAsHexSha256() {
        assertThat(JobIds.bodyHash("{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }
}
