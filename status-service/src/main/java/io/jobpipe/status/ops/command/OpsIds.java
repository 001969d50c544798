package io.jobpipe.status.ops.command;

import java.security.SecureRandom;
import java.util.Base64;

/** Random ids of the ops API: replay ids ({@code rpl_…}) and bulk operation ids ({@code op_…}), 96 random bits. */
public final class OpsIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OpsIds() {
    }

    public static String newReplayId() {
        return "rpl_" + random();
    }

    public static String newOperationId() {
        return "op_" + random();
    }

    private static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
