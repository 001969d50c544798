package io.jobpipe.worker.outbound;

import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The outbound client's only resolver: every address a connection may go to comes from here, checked by the
 * {@link OutboundPolicy}. Since the client connects to exactly these addresses, a DNS answer that changes after the
 * check (rebinding) cannot move the call. A refusal travels as an {@link UnknownHostException} (the type the
 * interface allows) that carries the policy's reason.
 */
final class PolicyDnsResolver implements DnsResolver {
    /** The policy refused the host; {@link #refusal()} says why. */
    static final class Refused extends UnknownHostException {
        private final OutboundRefused refusal;

        Refused(OutboundRefused refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }

        OutboundRefused refusal() {
            return refusal;
        }
    }

    private final OutboundPolicy policy;

    PolicyDnsResolver(OutboundPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return policy.addressesOf(host);
        } catch (OutboundRefused e) {
            throw new Refused(e);
        }
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        // Only asked for SPNEGO/Kerberos, which the outbound client never does: no reverse lookup.
        return host;
    }
}
