package io.jobpipe.ingest.limits;

import io.jobpipe.support.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressesTest {
    private final ClientAddresses behindProxies =
            ClientAddresses.of(List.of("10.0.0.0/8", "2001:db8:1::/48", "192.0.2.1"));

    @Test
    void shouldTakeThePeerWhenItIsNoTrustedProxyWhateverTheHeaderSays() throws Exception {
        assertThat(behindProxies.clientOf(ip("203.0.113.9"), List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
        assertThat(ClientAddresses.of(List.of()).clientOf(ip("10.1.1.1"), List.of("198.51.100.1")))
                .as("no proxy is trusted by default").isEqualTo("10.1.1.1");
    }

    @Test
    void shouldTakeThePeerWhenATrustedProxySentNoHeader() throws Exception {
        assertThat(behindProxies.clientOf(ip("10.1.1.1"), List.of())).isEqualTo("10.1.1.1");
    }

    @Test
    void shouldWalkFromTheRightPastTrustedProxiesOnly() throws Exception {
        assertThat(behindProxies.clientOf(ip("10.1.1.1"), List.of("198.51.100.7, 203.0.113.5, 10.2.2.2")))
                .as("entries left of the first untrusted one were written by the client").isEqualTo("203.0.113.5");
        assertThat(behindProxies.clientOf(ip("10.1.1.1"), List.of("198.51.100.7", "10.2.2.2, 192.0.2.1")))
                .as("several headers are one list").isEqualTo("198.51.100.7");
    }

    @Test
    void shouldStopAtTheLastTrustedHopWhenAnEntryIsNoAddress() throws Exception {
        assertThat(behindProxies.clientOf(ip("10.1.1.1"), List.of("198.51.100.7, unknown, 10.2.2.2")))
                .isEqualTo("10.2.2.2");
        assertThat(behindProxies.clientOf(ip("10.1.1.1"), List.of("evil.example.com"))).isEqualTo("10.1.1.1");
    }

    @Test
    void shouldReadPortsAndBracketedIpv6() throws Exception {
        assertThat(behindProxies.clientOf(ip("10.1.1.1"), List.of("203.0.113.5:4711"))).isEqualTo("203.0.113.5");
        assertThat(behindProxies.clientOf(ip("2001:db8:1::9"), List.of("[2001:db8:2::1]:443")))
                .isEqualTo(ip("2001:db8:2::1").getHostAddress());
    }

    @Test
    void shouldTakeTheLeftmostWhenEveryHopIsTrusted() throws Exception {
        assertThat(behindProxies.clientOf(ip("10.1.1.1"), List.of("10.3.3.3, 10.2.2.2"))).isEqualTo("10.3.3.3");
    }

    @Test
    void shouldMatchCidrBlocksBitByBit() throws Exception {
        Cidr block = Cidr.parse("172.16.0.0/12");
        assertThat(block.contains(ip("172.31.255.255"))).isTrue();
        assertThat(block.contains(ip("172.32.0.0"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("::1").contains(ip("::1"))).isTrue();
        assertThat(Cidr.parse("::1").contains(ip("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "10.0.0.0/33", "10.0.0/8", "300.1.1.1", "10.0.0.0/x", "::/129", ""})
    void shouldRefuseWhatIsNoCidrBlockWithoutAskingDns(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
