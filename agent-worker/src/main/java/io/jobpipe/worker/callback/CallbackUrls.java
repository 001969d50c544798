package io.jobpipe.worker.callback;

import io.jobpipe.core.event.StageRequested;
import io.jobpipe.support.callback.CallbackPaths;
import io.jobpipe.support.callback.CallbackSecretProperties;
import io.jobpipe.support.callback.CallbackToken;
import io.jobpipe.support.callback.CallbackTokens;
import io.jobpipe.worker.config.CallbackProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The callback URL of each attempt: {@code <public base>/callbacks/<token>}, the token for the attempt's job, stage and
 * attempt, good until the attempt's deadline plus {@code max-wait} (docs/DECISIONS.md, "Callbacks"). Without a public
 * base URL there are none ({@link #NONE}), and an agent that answers "pending" fails its attempt.
 */
public final class CallbackUrls {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackUrls.class);

    /** No callbacks on this worker. */
    public static final CallbackUrls NONE = new CallbackUrls(null, null, Duration.ZERO, Clock.systemUTC());

    private final URI base;
    private final CallbackTokens tokens;
    private final Duration maxWait;
    private final Clock clock;

    public CallbackUrls(URI base, CallbackTokens tokens, Duration maxWait, Clock clock) {
        this.base = base;
        this.tokens = tokens;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /**
     * The worker's callback URLs as configured, checked: a bad base URL or a missing secret stops the worker with a
     * message naming the setting.
     */
    public static CallbackUrls configure(CallbackProperties callbacks, CallbackSecretProperties secrets,
                                         PublicBaseUrl.Resolver resolver, Clock clock) {
        if (!callbacks.enabled()) {
            LOG.info("no public base URL ({}): agents get no callback URL, and one that answers that its result comes"
                    + " later fails its attempt", PublicBaseUrl.SETTING);
            return NONE;
        }
        PublicBaseUrl.Checked checked = PublicBaseUrl.check(callbacks.publicBaseUrl(), callbacks.allowLoopback(), resolver);
        CallbackTokens tokens = secrets.tokens(PublicBaseUrl.SETTING + " is set");
        checked.warnings().forEach(LOG::warn);
        LOG.info("callback URLs: {}/callbacks/<token>, each good until its attempt's deadline plus {}", checked.uri(),
                callbacks.maxWait());
        return new CallbackUrls(checked.uri(), tokens, callbacks.maxWait(), clock);
    }

    /** The URL at which {@code request}'s agent posts its result, for an attempt that runs until {@code deadline}. */
    public Optional<URI> urlFor(StageRequested request, Instant deadline) {
        if (base == null) {
            return Optional.empty();
        }
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // Rounded up to the next second: a token never expires before the attempt's deadline plus the wait.
        Instant expiresAt = deadline.plus(maxWait).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        if (!expiresAt.isAfter(issuedAt)) {
            expiresAt = issuedAt.plusSeconds(1);
        }
        String token = tokens.mint(new CallbackToken(request.jobId(), request.stage(), request.attempt(), issuedAt,
                expiresAt));
        return Optional.of(URI.create(base + CallbackPaths.PREFIX + token));
    }
}
