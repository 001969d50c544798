package io.jobpipe.worker.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** Name lookups for tests, from a table: no DNS. IP literals are read as the JDK reads them. */
public final class TestResolvers {
    private TestResolvers() {
    }

    public static OutboundPolicy.Resolver table(Map<String, String> names) {
        return host -> {
            String address = names.get(host);
            if (address != null) {
                return new InetAddress[]{InetAddress.getByName(address)};
            }
            if (IpLiterals.isCanonical(host)) {
                return InetAddress.getAllByName(host);
            }
            throw new UnknownHostException(host);
        };
    }
}
