package io.jobpipe.ingest.dedup;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryIdentitiesTest {
    private static final JobIds JOB_IDS = new JobIds("k".repeat(32).getBytes(StandardCharsets.UTF_8));
    private static final byte[] BODY = "{\"clicked\":true}".getBytes(StandardCharsets.UTF_8);
    private final DeliveryIdentities identities = new DeliveryIdentities(JOB_IDS,
            List.of(new ConnectionDedupProperties("hashed", true), new ConnectionDedupProperties("plain", false)));

    @Test
    void shouldKeyTheJobIdByTheDeliveryIdWhenThereIsOne() {
        DeliveryIdentity identity = identities.identify("plain", "d-1", BODY);

        assertThat(identity).isEqualTo(new DeliveryIdentity(JOB_IDS.forDelivery("plain", "d-1"), "d-1", true));
    }

    @Test
    void shouldKeyByTheBodyHashOnlyOnAConnectionThatAsksForIt() {
        DeliveryIdentity hashed = identities.identify("hashed", null, BODY);
        assertThat(hashed).isEqualTo(new DeliveryIdentity(
                JOB_IDS.forDelivery("hashed", JobIds.bodyHash(BODY)), null, true));

        DeliveryIdentity plain = identities.identify("plain", null, BODY);
        DeliveryIdentity unconfigured = identities.identify("other", null, BODY);
        assertThat(plain.recognised()).isFalse();
        assertThat(unconfigured.recognised()).isFalse();
        assertThat(plain.jobId()).matches("job_[A-Za-z0-9_-]{22}")
                .isNotEqualTo(identities.identify("plain", null, BODY).jobId());
    }
}
