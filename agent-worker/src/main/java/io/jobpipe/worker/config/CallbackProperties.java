package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.worker.callbacks.*}: where asynchronous agents post their results (ingest's
 * {@code POST /callbacks/<token>}), checked at start-up by {@code CallbackUrls.configure}.
 *
 * @param publicBaseUrl {@code JOBPIPE_PUBLIC_BASE_URL}: ingest as the agents' services reach it, e.g.
 *                      {@code https://jobpipe.example.com}; empty = no callbacks (an agent that answers "pending"
 *                      then fails the attempt with {@code AgentCallbackUnavailable})
 * @param allowLoopback {@code JOBPIPE_CALLBACKS_ALLOW_LOOPBACK}: dev only; a loopback base URL is refused otherwise,
 *                      since it names the agent's own machine, not ingest
 * @param maxWait       {@code JOBPIPE_CALLBACKS_MAX_WAIT}: how long after an attempt's deadline its callback URL is
 *                      still taken; heartbeats keep the orchestrator waiting up to then, not longer
 */
@ConfigurationProperties("jobpipe.worker.callbacks")
public record CallbackProperties(
        @Nullable String publicBaseUrl,
        @Bindable(defaultValue = "false") boolean allowLoopback,
        @Bindable(defaultValue = "1h") Duration maxWait) {

    public CallbackProperties {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("jobpipe.worker.callbacks.max-wait (JOBPIPE_CALLBACKS_MAX_WAIT) must not"
                    + " be negative, got " + maxWait);
        }
    }

    public boolean enabled() {
        return publicBaseUrl != null && !publicBaseUrl.isBlank();
    }
}
