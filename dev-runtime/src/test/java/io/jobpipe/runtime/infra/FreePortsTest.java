package io.jobpipe.runtime.infra;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void shouldHandOutDistinctBindablePortsBelowTheEphemeralRange() throws Exception {
        List<Integer> ports = IntStream.range(0, 200).mapToObj(i -> FreePorts.next()).toList();

        assertThat(new HashSet<>(ports)).hasSameSizeAs(ports);
        assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(FreePorts.FIRST, FreePorts.LAST - 1));
        try (ServerSocket server = new ServerSocket(ports.get(0), 1, InetAddress.getLoopbackAddress())) {
            assertThat(server.getLocalPort()).isEqualTo(ports.get(0));
        }
    }

    @Test
    void shouldSkipAPortSomethingListensOn() throws Exception {
        Set<Integer> seen = new HashSet<>();
        try (ServerSocket taken = new ServerSocket(FreePorts.next() + 1, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 5; i++) {
                seen.add(FreePorts.next());
            }
            assertThat(seen).doesNotContain(taken.getLocalPort());
        }
    }
}
