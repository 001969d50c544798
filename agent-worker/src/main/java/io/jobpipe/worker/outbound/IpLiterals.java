package io.jobpipe.worker.outbound;

import java.util.regex.Pattern;

/**
 * Which host spellings count as IP literals. Only the canonical dotted quad (four decimal parts, no leading zeros)
 * and bracketed or bare IPv6 are literals; the other spellings C resolvers accept for IPv4 ({@code 2130706433},
 * {@code 0x7f000001}, {@code 127.1}, {@code 0177.0.0.1}) are refused outright, since what they mean depends on who
 * parses them.
 */
final class IpLiterals {
    private static final Pattern CANONICAL_V4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Anything made only of digits, dots and hex notation: an attempt at a number, not a host name. */
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("(0[xX][0-9a-fA-F]+|\\d+)(\\.(0[xX][0-9a-fA-F]+|\\d+))*\\.?");

    private IpLiterals() {
    }

    static boolean isCanonical(String host) {
        return CANONICAL_V4.matcher(host).matches() || isIpv6(host);
    }

    static boolean isIpv6(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.indexOf(':') >= 0 && bare.matches("[0-9a-fA-F:.]+(%[\\w.]+)?");
    }

    /** A host that looks like a number but is not a canonical literal: an ambiguous spelling of an address. */
    static boolean isAmbiguousNumeric(String host) {
        return NUMERIC_LOOKING.matcher(host).matches() && !CANONICAL_V4.matcher(host).matches();
    }
}
