package io.jobpipe.status.ops.auth;

import java.util.Locale;

/** What an ops token may do: {@code read} the ops views, or also {@code operate} (send commands). */
public enum OpsRole {
    READ, OPERATE;

    public boolean allows(OpsRole needed) {
        return this == OPERATE || needed == READ;
    }

    /** The role named {@code text} ({@code read}, {@code operate}), or null. */
    static OpsRole parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
