package io.jobpipe.worker.callback;

import io.jobpipe.support.net.Cidr;
import io.jobpipe.worker.outbound.IpLiterals;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the public base URL a worker puts into callback URLs, once, at start-up: an absolute http(s) URL with a
 * host, no credentials, query or fragment, and (unless loopback is allowed, in dev) not this machine. A loopback base
 * URL handed to an agent's service names that service's own machine: its callback would go nowhere, or somewhere
 * else (seed 001). Anything wrong stops the worker with a message naming the setting; nothing falls back. Pure: the
 * resolver is passed in.
 */
public final class PublicBaseUrl {
    static final String SETTING = "jobpipe.worker.callbacks.public-base-url (JOBPIPE_PUBLIC_BASE_URL)";
    static final String LOOPBACK_FLAG = "jobpipe.worker.callbacks.allow-loopback (JOBPIPE_CALLBACKS_ALLOW_LOOPBACK)";

    /** Looks a host name up; the real one is {@link InetAddress#getAllByName}. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The base URL without a trailing slash, and what an operator should know about it. */
    public record Checked(URI uri, List<String> warnings) {
    }

    private PublicBaseUrl() {
    }

    /** @throws IllegalArgumentException naming {@link #SETTING} and what to fix */
    public static Checked check(String text, boolean allowLoopback, Resolver resolver) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw refused(text, "is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !("http".equals(scheme) || "https".equals(scheme))) {
            throw refused(text, "must be an absolute http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refused(text, "has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(text, "must not carry credentials");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw refused(text, "must not have a query or a fragment: callback paths are appended to it");
        }
        if (IpLiterals.isAmbiguousNumeric(host)) {
            throw refused(text, "spells its host as an ambiguous number; write a name or a canonical address");
        }
        List<String> warnings = new ArrayList<>();
        Optional<String> loopback = loopback(host, resolver, warnings);
        if (loopback.isPresent() && !allowLoopback) {
            throw refused(text, "is " + loopback.get() + ": agents' services would call back to their own machine,"
                    + " not to ingest. Set it to the address at which they reach ingest (loopback is allowed only"
                    + " in dev, with " + LOOPBACK_FLAG + "=true)");
        }
        if ("http".equals(scheme) && loopback.isEmpty()) {
            warnings.add(SETTING + " is plain http: callback tokens travel in clear; prefer https");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        try {
            return new Checked(new URI(scheme + "://" + uri.getRawAuthority() + path), List.copyOf(warnings));
        } catch (URISyntaxException e) {
            throw refused(text, "is not a URL (" + e.getReason() + ")");
        }
    }

    /** Why {@code host} is this machine, or empty; an address that is no address at all is refused outright. */
    private static Optional<String> loopback(String host, Resolver resolver, List<String> warnings) {
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return Optional.of("'" + host + "', a loopback name");
        }
        Optional<InetAddress> literal = Cidr.literal(host);
        List<InetAddress> addresses = new ArrayList<>();
        if (literal.isPresent()) {
            addresses.add(literal.get());
        } else {
            try {
                addresses.addAll(List.of(resolver.resolve(host)));
            } catch (UnknownHostException e) {
                // The worker never calls this URL itself; split-horizon DNS may know the name only outside.
                warnings.add(SETTING + ": host '" + host + "' does not resolve here; make sure agents' services can"
                        + " resolve it");
            }
        }
        for (InetAddress address : addresses) {
            if (address.isAnyLocalAddress()) {
                throw new IllegalArgumentException(SETTING + " '" + host + "' is the unspecified address "
                        + address.getHostAddress() + ", which no one can call");
            }
            if (address.isLoopbackAddress()) {
                return Optional.of(literal.isPresent() ? "the loopback address " + host
                        : "'" + host + "', which resolves to the loopback address " + address.getHostAddress());
            }
        }
        return Optional.empty();
    }

    private static IllegalArgumentException refused(String text, String reason) {
        return new IllegalArgumentException(SETTING + " '" + text + "' " + reason);
    }
}
