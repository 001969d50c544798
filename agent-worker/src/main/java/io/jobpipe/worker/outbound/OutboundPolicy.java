package io.jobpipe.worker.outbound;

import io.jobpipe.support.net.Cidr;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a worker may send a request (an HTTP agent, a notify subscriber, a callback an agent asks for): http or
 * https only, no credentials in the URL, no ambiguous numeric host spelling, and every address the host resolves to
 * public, unless the configuration allows its block or its name (internal agents; the dev configuration allows
 * loopback for the examples). A connection goes only to addresses this policy handed back ({@link #addressesOf},
 * the outbound client's resolver; {@link CheckedTarget#address()}), so a DNS answer that changes between the check
 * and the connection (rebinding) cannot move the call. Errors name the target as {@code scheme://host:port} only: a
 * path or query may hold a secret.
 */
public final class OutboundPolicy {
    /** Looks up a host name; {@link InetAddress#getAllByName} in production, a table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowedBlocks;
    private final Set<String> allowedHosts;
    private final Resolver resolver;

    /**
     * @param allowedBlocks address blocks allowed although forbidden by default ({@code 127.0.0.0/8} in dev)
     * @param allowedHosts  host names allowed whatever they resolve to (case-insensitive)
     */
    public OutboundPolicy(List<Cidr> allowedBlocks, Set<String> allowedHosts, Resolver resolver) {
        this.allowedBlocks = List.copyOf(allowedBlocks);
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Nothing allowed beyond public addresses, resolved by the JDK. */
    public static OutboundPolicy publicOnly() {
        return new OutboundPolicy(List.of(), Set.of(), InetAddress::getAllByName);
    }

    /** @return the URL and the address to connect to; never null */
    public CheckedTarget check(URI url) throws OutboundRefused {
        String host = hostToCall(url);
        try {
            return new CheckedTarget(url, addressesOf(host)[0]);
        } catch (OutboundRefused e) {
            throw new OutboundRefused(Origin.of(url) + ": " + e.getMessage());
        }
    }

    /**
     * The host of a URL the worker may call at all: http or https, a host, no credentials, no ambiguous numeric
     * spelling. Resolves nothing: {@link #addressesOf} judges the addresses where the connection is made.
     */
    public String hostToCall(URI url) throws OutboundRefused {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new OutboundRefused("only http and https URLs may be called, not '" + scheme + ":'");
        }
        String host = Origin.hostOf(url);
        if (host == null || host.isEmpty()) {
            throw new OutboundRefused("the URL " + scheme + "://… has no host");
        }
        String target = Origin.of(url);
        if (url.getRawUserInfo() != null) {
            throw new OutboundRefused(target + ": a URL must not carry credentials (user:password@)");
        }
        String bare = unbracketed(host);
        if (IpLiterals.isAmbiguousNumeric(bare)) {
            throw new OutboundRefused(target + ": '" + bare + "' is an ambiguous spelling of an IP address; write a"
                    + " host name or a canonical a.b.c.d");
        }
        return bare;
    }

    /** Whether {@code host} is an IP literal: {@link OutboundHttp} judges those itself, before any socket. */
    public static boolean isLiteral(String host) {
        return IpLiterals.isCanonical(unbracketed(host));
    }

    /**
     * Resolves {@code host} and hands back its addresses once every one of them may be called (or the host is
     * allowed by name): the only addresses a connection may go to. Messages name the host and why, no URL.
     */
    public InetAddress[] addressesOf(String host) throws OutboundRefused {
        String bare = unbracketed(host);
        if (IpLiterals.isAmbiguousNumeric(bare)) {
            throw new OutboundRefused("'" + bare + "' is an ambiguous spelling of an IP address");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new OutboundRefused("the host " + bare + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new OutboundRefused("the host " + bare + " does not resolve");
        }
        if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
            return addresses.clone();
        }
        for (InetAddress address : addresses) {
            Optional<String> why = allowed(address) ? Optional.empty() : ForbiddenAddresses.why(address);
            if (why.isPresent()) {
                throw new OutboundRefused(why.get() + "; an internal agent must be allowed by its block or name"
                        + " (jobpipe.worker.outbound.allow-cidrs, allow-hosts)");
            }
        }
        return addresses.clone();
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private boolean allowed(InetAddress address) {
        InetAddress judged = ForbiddenAddresses.embeddedIpv4(address).orElse(address);
        return allowedBlocks.stream().anyMatch(block -> block.contains(judged) || block.contains(address));
    }
}
