package io.jobpipe.runtime.bench.bare;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.Map;

/**
 * Main class of the baseline JVM that {@code ./jobpipe bench ingest} starts: a bare Micronaut HTTP server (Netty, the
 * services' version) on a free loopback port with one controller that answers 202. Prints
 * {@value #READY_PREFIX}{@code <port>} once it listens and stops when its standard input closes (the bench ended).
 */
public final class BareEndpoint {
    public static final String ENABLED = "jobpipe.bench.bare-endpoint";
    public static final String READY_PREFIX = "BARE-ENDPOINT-PORT ";

    private BareEndpoint() {
    }

    public static void main(String[] args) throws Exception {
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(Map.of(ENABLED, "true",
                        "micronaut.server.host", "127.0.0.1",
                        "micronaut.server.port", -1,
                        "micronaut.server.max-request-size", 1_048_576))
                .start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        System.out.println(READY_PREFIX + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // the parent holds our stdin open while the bench runs
        }
        context.close();
        System.exit(0);
    }
}
