package io.jobpipe.worker.outbound;

import io.jobpipe.support.net.Cidr;

import java.util.regex.Pattern;

/**
 * Which host spellings count as IP literals. Only the canonical dotted quad (four decimal parts, no leading zeros)
 * and bracketed or bare IPv6 are literals; the other spellings C resolvers accept for IPv4 ({@code 2130706433},
 * {@code 0x7f000001}, {@code 127.1}, {@code 0177.0.0.1}) are refused outright, since what they mean depends on who
 * parses them.
 */
public final class IpLiterals {
    /** Anything made only of digits, dots and hex notation: an attempt at a number, not a host name. */
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("(0[xX][0-9a-fA-F]+|\\d+)(\\.(0[xX][0-9a-fA-F]+|\\d+))*\\.?");

    private IpLiterals() {
    }

    /** A canonical IPv4 or an IPv6 literal, as {@link Cidr#literal} reads them (never a name, never DNS). */
    static boolean isCanonical(String host) {
        return Cidr.literal(host).isPresent();
    }

    /** A host that looks like a number but is not a canonical literal: an ambiguous spelling of an address. */
    public static boolean isAmbiguousNumeric(String host) {
        return NUMERIC_LOOKING.matcher(host).matches() && !isCanonical(host);
    }
}
