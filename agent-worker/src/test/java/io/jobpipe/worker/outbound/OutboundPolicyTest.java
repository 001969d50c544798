package io.jobpipe.worker.outbound;

import io.jobpipe.support.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSRF guard every outbound call of a worker goes through. No DNS: names resolve from a table. */
class OutboundPolicyTest {
    private static final Map<String, List<String>> DNS = Map.of(
            "agents.example", List.of("93.184.216.34"),
            "rebind.example", List.of("93.184.216.34", "10.0.0.7"),
            "metadata.example", List.of("169.254.169.254"),
            "internal.corp", List.of("10.1.2.3"));
    private static final OutboundPolicy.Resolver TABLE = host -> {
        if (DNS.containsKey(host)) {
            return DNS.get(host).stream().map(OutboundPolicyTest::address).toArray(InetAddress[]::new);
        }
        if (IpLiterals.isCanonical(host)) {
            return new InetAddress[]{InetAddress.getByName(host)};
        }
        throw new UnknownHostException(host);
    };
    private final OutboundPolicy strict = new OutboundPolicy(List.of(), Set.of(), TABLE);

    @Test
    void shouldAllowAPublicHostAndHandBackTheAddressItChecked() throws Exception {
        CheckedTarget target = strict.check(URI.create("https://agents.example/parse?token=s3cret"));

        assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:8080/x|127.0.0.1 is a loopback address",
            "http://10.0.0.1/|a private address (10/8)",
            "http://172.20.1.1/|a private address (172.16/12)",
            "http://192.168.1.10/|a private address (192.168/16)",
            "http://100.64.0.1/|carrier-grade NAT",
            "http://169.254.10.10/|a link-local address",
            "http://169.254.169.254/latest/meta-data/|the cloud metadata address",
            "http://0.0.0.0/|'this network'",
            "http://[::1]/|a loopback address",
            "http://[::]/|the unspecified address",
            "http://[fd00::1]/|a unique local address",
            "http://[fe80::1]/|a link-local address",
            "http://[::ffff:127.0.0.1]/|127.0.0.1 is a loopback address",
            "http://[::ffff:a9fe:a9fe]/|the cloud metadata address",
            "http://[::10.0.0.1]/|10.0.0.1 is a private address (10/8) (embedded in",
            "http://[64:ff9b::7f00:1]/|127.0.0.1 is a loopback address (embedded in",
            "http://metadata.example/|the cloud metadata address"})
    void shouldRefuseAddressesInsideTheMachineOrItsNetworks(String url, String why) {
        assertThatThrownBy(() -> strict.check(URI.create(url))).isInstanceOf(OutboundRefused.class)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0x7f000001", "127.1", "0177.0.0.1", "017700000001", "0x7f.1", "127.0.0.01"})
    void shouldRefuseAmbiguousSpellingsOfAnAddress(String host) {
        assertThatThrownBy(() -> strict.check(URI.create("http://" + host + "/"))).isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("ambiguous spelling of an IP address");
    }

    @Test
    void shouldRefuseAHostIfAnyOfItsAddressesIsForbidden() {
        assertThatThrownBy(() -> strict.check(URI.create("https://rebind.example/"))).isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("10.0.0.7 is a private address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://agents.example/f|only http and https",
            "file:///etc/passwd|only http and https",
            "gopher://agents.example/|only http and https",
            "https://user:pw@agents.example/|must not carry credentials",
            "https://nowhere.example/|does not resolve"})
    void shouldRefuseOtherSchemesCredentialsAndUnknownHosts(String url, String why) {
        assertThatThrownBy(() -> strict.check(URI.create(url))).isInstanceOf(OutboundRefused.class)
                .hasMessageContaining(why);
    }

    @Test
    void shouldNeverPutThePathOrQueryOfARefusedUrlInItsMessage() {
        assertThatThrownBy(() -> strict.check(URI.create("http://10.0.0.1:8443/hooks/abc?secret=s3cret")))
                .hasMessageStartingWith("http://10.0.0.1:8443: ")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("/hooks");
    }

    @Test
    void shouldLetThroughWhatTheConfigurationAllowsByBlockOrName() throws Exception {
        OutboundPolicy dev = new OutboundPolicy(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1")),
                Set.of("Internal.Corp"), TABLE);

        assertThat(dev.check(URI.create("http://127.0.0.1:9000/agent")).address().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(dev.check(URI.create("http://[::1]:9000/agent")).address().isLoopbackAddress()).isTrue();
        assertThat(dev.check(URI.create("http://internal.corp/agent")).address().getHostAddress()).isEqualTo("10.1.2.3");
        assertThatThrownBy(() -> dev.check(URI.create("http://169.254.169.254/"))).isInstanceOf(OutboundRefused.class);
    }

    @Test
    void shouldParseAddressBlocksAndMatchByPrefix() {
        Cidr block = Cidr.parse("172.16.0.0/12");

        assertThat(block.contains(address("172.31.255.255"))).isTrue();
        assertThat(block.contains(address("172.32.0.0"))).isFalse();
        assertThat(Cidr.parse("fc00::/7").contains(address("fdff::1"))).isTrue();
        assertThat(Cidr.parse("fc00::/7").contains(address("172.16.0.1"))).isFalse();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length outside 0-32");
        assertThatThrownBy(() -> Cidr.parse("intranet/8")).hasMessageContaining("is not an IP address or CIDR block");
        assertThatThrownBy(() -> Cidr.parse("010.0.0.0/8")).as("an ambiguous spelling").isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
