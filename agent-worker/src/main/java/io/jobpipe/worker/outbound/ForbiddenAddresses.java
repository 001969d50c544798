package io.jobpipe.worker.outbound;

import io.jobpipe.support.net.Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The addresses an outbound call from a worker must not reach unless allowed by name: the machine itself, private
 * and shared networks, link-local ones and the cloud metadata service. IPv6 addresses that embed an IPv4 one
 * (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}) are judged by
 * the IPv4 address inside. Pure.
 */
final class ForbiddenAddresses {
    private record Block(Cidr cidr, String what) {
    }

    private static final List<Block> BLOCKS = List.of(
            new Block(Cidr.parse("169.254.169.254/32"), "the cloud metadata address"),
            new Block(Cidr.parse("0.0.0.0/8"), "'this network' (0.0.0.0/8)"),
            new Block(Cidr.parse("127.0.0.0/8"), "a loopback address"),
            new Block(Cidr.parse("10.0.0.0/8"), "a private address (10/8)"),
            new Block(Cidr.parse("172.16.0.0/12"), "a private address (172.16/12)"),
            new Block(Cidr.parse("192.168.0.0/16"), "a private address (192.168/16)"),
            new Block(Cidr.parse("100.64.0.0/10"), "a carrier-grade NAT address (100.64/10)"),
            new Block(Cidr.parse("169.254.0.0/16"), "a link-local address"),
            new Block(Cidr.parse("192.0.0.0/24"), "an IETF protocol assignment (192.0.0/24)"),
            new Block(Cidr.parse("198.18.0.0/15"), "a benchmarking address (198.18/15)"),
            new Block(Cidr.parse("224.0.0.0/4"), "a multicast address"),
            new Block(Cidr.parse("240.0.0.0/4"), "a reserved address (240/4, broadcast included)"),
            new Block(Cidr.parse("::/128"), "the unspecified address (::)"),
            new Block(Cidr.parse("::1/128"), "a loopback address"),
            new Block(Cidr.parse("fc00::/7"), "a unique local address (fc00::/7)"),
            new Block(Cidr.parse("fe80::/10"), "a link-local address"),
            new Block(Cidr.parse("ff00::/8"), "a multicast address"));
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    private ForbiddenAddresses() {
    }

    /** Why {@code address} is forbidden, or empty when it is a public address. */
    static Optional<String> why(InetAddress address) {
        InetAddress judged = embeddedIpv4(address).orElse(address);
        for (Block block : BLOCKS) {
            if (block.cidr().contains(judged)) {
                String embedded = judged == address ? "" : " (embedded in " + address.getHostAddress() + ")";
                return Optional.of(judged.getHostAddress() + " is " + block.what() + embedded);
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address an IPv6 one carries (mapped, compatible or NAT64), if it carries one. */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        boolean firstTenZero = allZero(bytes, 0, 10);
        boolean mapped = firstTenZero && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && bytes[10] == 0 && bytes[11] == 0 && !allZero(bytes, 12, 16)
                && !(allZero(bytes, 12, 15) && (bytes[15] == 0 || bytes[15] == 1));
        if (!mapped && !compatible && !NAT64.contains(address)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
