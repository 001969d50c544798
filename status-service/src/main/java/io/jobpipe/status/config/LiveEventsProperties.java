package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.status.live.*}: the PostgreSQL LISTEN connection and the SSE streams it feeds.
 *
 * @param keepAlive        interval of the SSE comment that keeps idle proxies from closing the stream
 * @param listenPoll       how long one {@code getNotifications} call waits; bounds shutdown latency
 * @param reconnectBackoff wait before re-opening a lost LISTEN connection
 * @param pageSize         events read from the database per query while streaming
 * @param arrivalGrace     how long a request for a not-yet-projected job waits for it before answering 404
 * @param arrivalWaiters   {@code GET /jobs/{id}} requests that may wait so at once (each parks a thread); beyond it
 *                         an unknown job is a 404 at once, so requests for made-up ids cannot pile up blocked
 *                         threads. SSE streams wait without a thread, up to {@code maxStreams} at once
 * @param maxStreams       SSE streams this instance holds open at once; the next is answered 503 with Retry-After
 *                         (0: no cap). As many may wait for their jobs to arrive; past that, a 404 at once
 * @param maxStreamsPerClient SSE streams one client address holds at once; the next is answered 429 with
 *                         Retry-After (0: no cap; behind a proxy every client has the proxy's address)
 * @param readThreads      threads that read events for SSE streams, shared by all of them
 * @param maxWaits         {@code GET /jobs/{id}?waitFor=} requests that may wait at once (each parks a thread); the
 *                         next is answered 503 with Retry-After
 */
@ConfigurationProperties("jobpipe.status.live")
public record LiveEventsProperties(@Bindable(defaultValue = "15s") Duration keepAlive,
                               @Bindable(defaultValue = "1s") Duration listenPoll,
                               @Bindable(defaultValue = "1s") Duration reconnectBackoff,
                               @Bindable(defaultValue = "200") int pageSize,
                               @Bindable(defaultValue = "5s") Duration arrivalGrace,
                               @Bindable(defaultValue = "64") int arrivalWaiters,
                               @Bindable(defaultValue = "10000") int maxStreams,
                               @Bindable(defaultValue = "64") int maxStreamsPerClient,
                               @Bindable(defaultValue = "256") int maxWaits,
                               @Bindable(defaultValue = "8") int readThreads) {
}
