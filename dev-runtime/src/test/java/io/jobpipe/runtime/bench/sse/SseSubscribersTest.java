package io.jobpipe.runtime.bench.sse;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bench's SSE client against a socket that answers as status does: chunked, frames cut across reads. */
class SseSubscribersTest {

    @Test
    void shouldCountEveryDataLineAndItsLatencyAcrossReadsAndEndWithTheJob() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> serve(server));
            answer.start();
            LatencyRecorder latencies = new LatencyRecorder();
            latencies.start();
            try (SseSubscribers subscribers = new SseSubscribers(
                    new InetSocketAddress("127.0.0.1", server.getLocalPort()), latencies)) {
                SseSubscribers.Subscriber subscriber = subscribers.subscribe("job-1");

                await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.done);

                assertThat(subscriber.events).isEqualTo(3);
                assertThat(subscriber.failed).isFalse();
                assertThat(subscribers.outOfOrder.get()).isZero();
                long[] summary = latencies.summary();
                assertThat(summary[0]).isEqualTo(3);
                assertThat(summary[5]).as("stamped 40 ms before it was sent, at most").isBetween(40L, 5000L);
            }
            answer.join(5000);
        }
    }

    private static void serve(ServerSocket server) {
        try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
            byte[] request = new byte[1024];
            int read = socket.getInputStream().read(request);
            assertThat(new String(request, 0, read, StandardCharsets.US_ASCII)).startsWith("GET /jobs/job-1/events ");
            Instant at = Instant.now().minusMillis(40);
            String body = ": open\n\n"
                    + frame(1, "JobAccepted", at) + frame(2, "StageDispatched", at) + frame(3, "JobCompleted", at);
            String response = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n";
            byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
            // in pieces, so lines arrive cut in two
            for (int from = 0; from < bytes.length; from += 37) {
                out.write(bytes, from, Math.min(37, bytes.length - from));
                out.flush();
                Thread.sleep(2);
            }
            Thread.sleep(500);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String frame(int seq, String type, Instant at) {
        return "id: " + seq + "\nevent: " + type + "\ndata: {\"jobId\":\"job-1\",\"occurredAt\":\""
                + at + "\",\"seq\":" + seq + "}\n\n";
    }
}
