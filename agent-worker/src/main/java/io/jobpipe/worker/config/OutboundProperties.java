package io.jobpipe.worker.config;

import io.jobpipe.support.net.Cidr;
import io.jobpipe.worker.outbound.OutboundHttp;
import io.jobpipe.worker.outbound.OutboundPolicy;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code jobpipe.worker.outbound.*}: the guard and limits of every call that leaves the worker (HTTP agents, notify
 * subscribers). Addresses inside the machine or its networks are refused unless allowed here; empty by default, the
 * dev profile allows loopback for the examples.
 *
 * @param allowCidrs       address blocks that may be called although private, loopback or link-local
 *                         ({@code 127.0.0.0/8}, {@code 10.1.0.0/16})
 * @param allowHosts       host names that may be called whatever they resolve to (internal agents)
 * @param connectTimeout   the longest a TCP (and TLS) connection may take
 * @param maxResponseBytes the most bytes read from one response; a longer one fails the call
 * @param maxConnections   connections open at once, in all and to one target
 */
@ConfigurationProperties("jobpipe.worker.outbound")
public record OutboundProperties(
        @Nullable List<String> allowCidrs,
        @Nullable List<String> allowHosts,
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "1048576") int maxResponseBytes,
        @Bindable(defaultValue = "100") int maxConnections) {

    public OutboundProperties {
        allowCidrs = nonBlank(allowCidrs);
        allowHosts = nonBlank(allowHosts);
    }

    /** The policy these properties describe; a bad block stops the worker at start-up with the value named. */
    public OutboundPolicy policy() {
        List<Cidr> blocks = allowCidrs.stream().map(block -> {
            try {
                return Cidr.parse(block);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("jobpipe.worker.outbound.allow-cidrs: " + e.getMessage()
                        + " (write blocks such as 127.0.0.0/8 or fd00::/8)", e);
            }
        }).toList();
        return new OutboundPolicy(blocks, new LinkedHashSet<>(allowHosts), InetAddress::getAllByName);
    }

    public OutboundHttp.Limits limits() {
        return new OutboundHttp.Limits(connectTimeout, maxResponseBytes, maxConnections);
    }

    // An empty ${VAR:} placeholder binds as one blank entry.
    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }
}
