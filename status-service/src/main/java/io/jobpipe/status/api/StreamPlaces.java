package io.jobpipe.status.api;

import io.jobpipe.status.live.StreamQuota;
import io.micronaut.http.HttpRequest;

/** Takes an SSE stream's place for the request's client, or refuses it with the problem that says which cap is full. */
final class StreamPlaces {
    private StreamPlaces() {
    }

    /**
     * Decided before anything is sent, so the client gets a status it can act on (429 for its own cap, 503 for the
     * instance's), not a stream that hangs.
     */
    static StreamQuota.Lease take(HttpRequest<?> request, StreamQuota quota, ClientAddresses clients) {
        StreamQuota.Result place = quota.tryOpen(clients.of(request));
        return place.granted().orElseThrow(() -> place.refusal() == StreamQuota.Refusal.CLIENT_FULL
                ? StatusProblems.tooManyStreams(quota.maxPerClient())
                : StatusProblems.streamsFull(quota.maxStreams()));
    }
}
