package io.jobpipe.worker.outbound;

import java.net.URI;
import java.util.Locale;

/**
 * How errors, outputs and logs name a URL the worker calls: {@code scheme://host[:port]} and nothing more, since a
 * path or query (a Slack hook's path, {@code ?code=…}) and user info may hold a secret. Pure.
 */
public final class Origin {
    private Origin() {
    }

    /** {@code scheme://host[:port]} of {@code url}; {@code "(no host)"} stands in for a missing host. */
    public static String of(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = hostOf(url);
        return scheme + "://" + (host == null || host.isEmpty() ? "(no host)" : host)
                + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /** The URL's host as written, brackets of an IPv6 literal kept; also where {@link URI#getHost()} gives up. */
    static String hostOf(URI url) {
        if (url.getHost() != null) {
            return url.getHost();
        }
        // java.net.URI leaves the host null for an authority it does not take for a name (127.1, 0x7f.1).
        String authority = url.getRawAuthority();
        if (authority == null) {
            return null;
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        return colon > hostPort.lastIndexOf(']') ? hostPort.substring(0, colon) : hostPort;
    }
}
