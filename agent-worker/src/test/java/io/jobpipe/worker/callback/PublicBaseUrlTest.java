package io.jobpipe.worker.callback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicBaseUrlTest {
    /** A resolver that knows a few names and nothing else: no DNS in unit tests. */
    private static final PublicBaseUrl.Resolver RESOLVER = host -> {
        Map<String, String> known = Map.of("jobpipe.example.com", "203.0.113.7", "ingest.internal", "10.1.2.3",
                "sneaky.example.com", "127.0.0.2", "nowhere.example.com", "0.0.0.0");
        String address = known.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[]{InetAddress.getByName(address)};
    };

    @Test
    void shouldTakeAnHttpsUrlWithAPathAndDropItsTrailingSlash() {
        PublicBaseUrl.Checked checked = PublicBaseUrl.check(" https://jobpipe.example.com/in/ ", false, RESOLVER);

        assertThat(checked.uri()).isEqualTo(URI.create("https://jobpipe.example.com/in"));
        assertThat(checked.warnings()).isEmpty();
    }

    @Test
    void shouldTakeAPrivateAddressSinceAgentsMayRunInsideTheSameNetwork() {
        assertThat(PublicBaseUrl.check("https://ingest.internal:8443", false, RESOLVER).uri())
                .isEqualTo(URI.create("https://ingest.internal:8443"));
    }

    @Test
    void shouldWarnAboutPlainHttpAndAHostThatDoesNotResolveHereButStart() {
        PublicBaseUrl.Checked checked = PublicBaseUrl.check("http://only-outside.example.com", false, RESOLVER);

        assertThat(checked.uri()).isEqualTo(URI.create("http://only-outside.example.com"));
        assertThat(checked.warnings()).anySatisfy(w -> assertThat(w).contains("plain http"))
                .anySatisfy(w -> assertThat(w).contains("does not resolve here"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "http://LOCALHOST.", "http://ingest.localhost", "http://127.0.0.1",
            "http://127.9.9.9:8080", "http://[::1]:8080", "http://[::ffff:127.0.0.1]", "https://sneaky.example.com"})
    void shouldRefuseLoopbackOutsideDevNamingTheSettingAndTheFlag(String url) {
        assertThatThrownBy(() -> PublicBaseUrl.check(url, false, RESOLVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JOBPIPE_PUBLIC_BASE_URL")
                .hasMessageContaining("loopback")
                .hasMessageContaining("JOBPIPE_CALLBACKS_ALLOW_LOOPBACK");
    }

    @Test
    void shouldTakeLoopbackWhenTheDevFlagAllowsIt() {
        PublicBaseUrl.Checked checked = PublicBaseUrl.check("http://127.0.0.1:8080/", true, RESOLVER);

        assertThat(checked.uri()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(checked.warnings()).as("plain http on loopback is what dev does").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jobpipe.example.com", "/callbacks", "ftp://jobpipe.example.com",
            "file:///etc/passwd", "http://", "http:///path", "https://user:pw@jobpipe.example.com",
            "https://jobpipe.example.com/?a=1", "https://jobpipe.example.com/#top", "http://exa mple.com",
            "http://2130706433", "http://0x7f000001", "http://127.1", "http://0177.0.0.1",
            "http://0.0.0.0:8080", "http://[::]:8080", "https://nowhere.example.com"})
    void shouldRefuseWhatIsNoUsableBaseUrlEvenWithLoopbackAllowed(String url) {
        assertThatThrownBy(() -> PublicBaseUrl.check(url, true, RESOLVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobpipe.worker.callbacks.public-base-url (JOBPIPE_PUBLIC_BASE_URL)");
    }
}
