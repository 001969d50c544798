package io.jobpipe.core.event;

import java.security.SecureRandom;
import java.util.Base64;

/** Random identifiers: event ids and job ids. Job ids are unguessable (128 random bits). */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private EventIds() {
    }

    public static String newJobId() {
        return "job_" + random128();
    }

    public static String newEventId() {
        return "evt_" + random128();
    }

    private static String random128() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
