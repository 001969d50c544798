package io.jobpipe.runtime.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Load generation aims only at this machine: every target host must resolve to loopback addresses only. */
public final class LoopbackTargets {
    private LoopbackTargets() {
    }

    public static void requireLoopbackUrl(String what, String url) {
        URI uri = URI.create(url);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(what + " '" + url + "' has no host");
        }
        requireLoopbackHost(what, uri.getHost());
    }

    /** {@code host:port[,host:port…]}, IPv6 hosts in brackets. */
    public static void requireLoopbackBootstrap(String bootstrapServers) {
        for (String server : bootstrapServers.split(",")) {
            String trimmed = server.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            String host = colon > 0 ? trimmed.substring(0, colon) : trimmed;
            requireLoopbackHost("Kafka bootstrap server", host.replace("[", "").replace("]", ""));
        }
    }

    static void requireLoopbackHost(String what, String host) {
        String bare = host.replace("[", "").replace("]", "");
        try {
            InetAddress[] addresses = InetAddress.getAllByName(bare);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException(what + " " + host + " is not a loopback address ("
                            + address.getHostAddress() + "): the benchmark only loads this machine");
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(what + " " + host + " does not resolve", e);
        }
    }
}
