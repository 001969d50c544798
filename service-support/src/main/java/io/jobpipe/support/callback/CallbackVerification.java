package io.jobpipe.support.callback;

/** What ingest learns from a token: good, forged or damaged, or genuine but past its expiry. */
public sealed interface CallbackVerification {

    /** Signed with a secret ingest holds and not expired: the callback may be produced. */
    record Valid(CallbackToken token) implements CallbackVerification {
    }

    /**
     * Not a token this deployment issued (damaged, forged, from another deployment or a retired secret).
     *
     * @param reason for ingest's log, never for the caller: it would help guessing
     */
    record Invalid(String reason) implements CallbackVerification {
    }

    /** A genuine token whose time is up: its attempt is long over. */
    record Expired(CallbackToken token) implements CallbackVerification {
    }
}
