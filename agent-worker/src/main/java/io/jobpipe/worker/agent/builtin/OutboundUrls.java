package io.jobpipe.worker.agent.builtin;

import io.jobpipe.agent.AgentException;
import io.jobpipe.worker.outbound.Origin;

import java.net.URI;
import java.net.URISyntaxException;

/** The URL a built-in agent is told to call (a notify subscriber, a post-json action), checked before any call. */
final class OutboundUrls {
    private OutboundUrls() {
    }

    /**
     * {@code url} as an absolute http(s) URL with a host; else a non-retryable {@code errorType} failure naming
     * {@code what} and, at most, the URL's origin (its path may be a credential). Where it may connect is the outbound
     * guard's decision, at the call.
     */
    static URI parse(String url, String what, String errorType) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw AgentException.permanent(errorType, what + " is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw AgentException.permanent(errorType, what + " must be an http(s) URL with a host, got " + Origin.of(uri));
        }
        return uri;
    }
}
