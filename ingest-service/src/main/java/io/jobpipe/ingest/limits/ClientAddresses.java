package io.jobpipe.ingest.limits;

import io.jobpipe.support.net.Cidr;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Who sent a request, for per-client limits. The socket's peer is the client unless it is a trusted proxy; then
 * {@code X-Forwarded-For} is read from the right (the entry the nearest proxy appended) past every trusted proxy,
 * and the first address that is not one is the client. Entries left of it were written by the client itself and
 * prove nothing, which is why a header from an untrusted peer is ignored altogether. An entry that is not an IP
 * address stops the walk at the last trusted hop: a limit keyed by a proxy is stricter, never looser.
 */
public final class ClientAddresses {
    private final List<Cidr> trustedProxies;

    public ClientAddresses(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public static ClientAddresses of(List<String> trustedProxyCidrs) {
        return new ClientAddresses(trustedProxyCidrs.stream().map(Cidr::parse).toList());
    }

    /**
     * @param peer          the socket's remote address
     * @param forwardedFor  the {@code X-Forwarded-For} values in order, each possibly a comma-separated list
     * @return the client's address as text
     */
    public String clientOf(InetAddress peer, List<String> forwardedFor) {
        InetAddress hop = peer;
        if (!trusted(hop) || forwardedFor.isEmpty()) {
            return hop.getHostAddress();
        }
        List<String> entries = forwardedFor.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(entry -> !entry.isEmpty())
                .toList();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Optional<InetAddress> address = parse(entries.get(i));
            if (address.isEmpty()) {
                return hop.getHostAddress();
            }
            hop = address.get();
            if (!trusted(hop)) {
                return hop.getHostAddress();
            }
        }
        return hop.getHostAddress();
    }

    private boolean trusted(InetAddress address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An entry is an address, possibly with a port: {@code 203.0.113.7}, {@code 203.0.113.7:4711},
     * {@code [2001:db8::1]:443}.
     */
    static Optional<InetAddress> parse(String entry) {
        String value = entry;
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            value = value.substring(1, end);
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':') && value.indexOf('.') > 0) {
            value = value.substring(0, value.indexOf(':'));
        }
        return Cidr.literal(value);
    }
}
