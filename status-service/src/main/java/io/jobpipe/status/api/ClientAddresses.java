package io.jobpipe.status.api;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client address that the per-client stream cap counts. Behind a reverse proxy every request comes from the
 * proxy, so all its users would share one cap. With the proxies' networks configured
 * ({@code jobpipe.status.trusted-proxies}, CIDRs or addresses), a request from one of them counts for the last address
 * in its {@code X-Forwarded-For} that no trusted proxy added. The header of anyone else is ignored: a client could
 * otherwise name a new address for each stream and escape its cap.
 */
@Singleton
public class ClientAddresses {
    private final List<IpSubnetFilterRule> trusted;

    public ClientAddresses(@Property(name = "jobpipe.status.trusted-proxies") @Nullable List<String> proxies) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String proxy : proxies == null ? List.<String>of() : proxies) {
            if (!proxy.isBlank()) {
                rules.add(rule(proxy.trim()));
            }
        }
        this.trusted = List.copyOf(rules);
    }

    /** The address {@code request}'s streams count against. */
    public String of(HttpRequest<?> request) {
        return of(request.getRemoteAddress(), request.getHeaders().getAll("X-Forwarded-For"));
    }

    /**
     * Walks {@code X-Forwarded-For} from its end (the hop the peer added) while the hops are trusted proxies; the
     * first one that is not is the client. A hop that is no address literal ends the walk at the last trusted one.
     */
    String of(InetSocketAddress peer, List<String> forwardedFor) {
        String client = peer.getAddress().getHostAddress();
        if (!trusts(peer.getAddress())) {
            return client;
        }
        List<String> hops = forwardedFor.stream().flatMap(header -> Arrays.stream(header.split(",")))
                .map(String::trim).filter(hop -> !hop.isEmpty()).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = NetUtil.createInetAddressFromIpAddressString(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = hop.getHostAddress();
            if (!trusts(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusts(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        return trusted.stream().anyMatch(rule -> rule.matches(socket));
    }

    private static IpSubnetFilterRule rule(String proxy) {
        int slash = proxy.indexOf('/');
        String ip = slash < 0 ? proxy : proxy.substring(0, slash);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(ip);
        if (address == null) {
            throw new IllegalArgumentException("jobpipe.status.trusted-proxies: '" + proxy
                    + "' is not an IP address or CIDR (e.g. 10.0.0.0/8, 192.168.1.5, fd00::/8)");
        }
        int bits = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(proxy.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("jobpipe.status.trusted-proxies: '" + proxy
                    + "' has no prefix length from 0 to " + bits);
        }
        return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
    }
}
