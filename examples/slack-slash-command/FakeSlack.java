import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;

/**
 * Slack's side of the delayed replies, on loopback, for trying the example by hand: prints every POST to
 * {@code /commands/…} (what send-slash-command.sh gives as response_url) and answers 200, as Slack does.
 * Run with the JDK alone: {@code java examples/slack-slash-command/FakeSlack.java [port, default 8099]}.
 */
public class FakeSlack {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/commands/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                System.out.printf("%s %s %s (Idempotency-Key %s)%n  %s%n", LocalTime.now().withNano(0),
                        exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Idempotency-Key"), body);
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
        });
        server.start();
        System.out.println("fake Slack: replies to http://127.0.0.1:" + port + "/commands/… are printed here; Ctrl-C stops");
    }
}
