package io.jobpipe.status.api;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which address a stream counts against: the peer's, or behind trusted proxies the client they forwarded. */
class ClientAddressesTest {
    private static final ClientAddresses BEHIND_PROXIES = new ClientAddresses(List.of("10.0.0.0/8", "192.168.1.5", "fd00::/8"));

    private static InetSocketAddress peer(String address) {
        return new InetSocketAddress(address, 40000);
    }

    @Test
    void shouldCountThePeerWhenNoProxyIsTrusted() {
        ClientAddresses none = new ClientAddresses(null);

        assertThat(none.of(peer("10.1.2.3"), List.of("203.0.113.7"))).isEqualTo("10.1.2.3");
    }

    @Test
    void shouldIgnoreForwardedForFromAPeerThatIsNoTrustedProxy() {
        // A client naming a new address for each stream must not escape its cap.
        assertThat(BEHIND_PROXIES.of(peer("203.0.113.7"), List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void shouldCountTheClientThatATrustedProxyForwarded() {
        assertThat(BEHIND_PROXIES.of(peer("10.1.2.3"), List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    }

    @Test
    void shouldSkipEveryTrustedHopAndIgnoreWhatTheClientWroteBeforeThem() {
        // The client sent "X-Forwarded-For: 1.1.1.1" itself; 192.168.1.5 then 10.1.2.3 appended what they saw.
        List<String> header = List.of("1.1.1.1, 203.0.113.7", "192.168.1.5");

        assertThat(BEHIND_PROXIES.of(peer("10.1.2.3"), header)).isEqualTo("203.0.113.7");
    }

    @Test
    void shouldStopAtTheLastTrustedHopWhenAHopIsNoAddress() {
        assertThat(BEHIND_PROXIES.of(peer("10.1.2.3"), List.of("unknown, 192.168.1.5"))).isEqualTo("192.168.1.5");
        assertThat(BEHIND_PROXIES.of(peer("10.1.2.3"), List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void shouldTrustIpv6Networks() {
        assertThat(BEHIND_PROXIES.of(peer("fd12::1"), List.of("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void shouldRefuseAProxyThatIsNoAddressOrCidr() {
        assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.internal")))
                .hasMessageContaining("'proxy.internal' is not an IP address or CIDR");
        assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/33")))
                .hasMessageContaining("no prefix length from 0 to 32");
    }
}
