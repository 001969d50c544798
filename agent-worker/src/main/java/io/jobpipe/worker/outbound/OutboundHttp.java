package io.jobpipe.worker.outbound;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worker's one HTTP client for calls that leave it (HTTP agents, notify subscribers), behind the
 * {@link OutboundPolicy}: a URL must pass the policy, IP literals are judged before any socket, and names are
 * resolved only by the policy's {@link PolicyDnsResolver}, whose checked addresses are the ones connected to; the
 * host name stays the request's Host header, TLS SNI and certificate name. Redirects are never followed (a 3xx is a
 * refusal), nothing is retried here, a response is read up to a cap, and a call ends at its timeout or when its
 * thread is interrupted (the exchange is aborted). Errors name the target as {@code scheme://host[:port]} only.
 * Built on Apache HttpClient 5's async client: the caller's thread only waits, so an interrupt ends the wait at once.
 */
public final class OutboundHttp implements AutoCloseable {
    /**
     * @param connectTimeout   the longest a TCP (and TLS) connection may take
     * @param maxResponseBytes the most body bytes read from one response
     * @param maxConnections   connections open at once, in all and to one target
     */
    public record Limits(Duration connectTimeout, int maxResponseBytes, int maxConnections) {
        public Limits {
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("jobpipe.worker.outbound.connect-timeout must be positive, got "
                        + connectTimeout);
            }
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("jobpipe.worker.outbound.max-response-bytes must be >= 1, got "
                        + maxResponseBytes);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("jobpipe.worker.outbound.max-connections must be >= 1, got "
                        + maxConnections);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(OutboundHttp.class);
    private static final String USER_AGENT = "jobpipe-agent-worker";

    private final OutboundPolicy policy;
    private final Limits limits;
    private final CloseableHttpAsyncClient client;

    public OutboundHttp(OutboundPolicy policy, Limits limits) {
        this.policy = policy;
        this.limits = limits;
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PolicyDnsResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(limits.connectTimeout()))
                                .build())
                        .setMaxConnTotal(limits.maxConnections())
                        .setMaxConnPerRoute(limits.maxConnections())
                        .build())
                // No system proxy either: a proxy would resolve the name itself, past the policy.
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .setIoReactorExceptionCallback(OutboundHttp::reactorFailed)
                .build();
        client.start();
    }

    public int maxResponseBytes() {
        return limits.maxResponseBytes();
    }

    /**
     * POSTs {@code body} to {@code url} and returns the answer, whatever its status, unless it is a redirect.
     *
     * @throws OutboundRefused      the policy refused the target, or it answered with a redirect: not retryable
     * @throws OutboundTooLarge     the answer is longer than the cap
     * @throws OutboundTimeout      no complete answer within {@code timeout} (or the connect timeout)
     * @throws IOException          no answer: the connection failed or broke
     * @throws InterruptedException the calling thread was interrupted; the exchange is aborted
     */
    public OutboundResponse post(URI url, Map<String, String> headers, byte[] body, Duration timeout)
            throws OutboundRefused, IOException, InterruptedException {
        String host = policy.hostToCall(url);
        String origin = Origin.of(url);
        if (OutboundPolicy.isLiteral(host)) {
            // HttpClient 5.6 asks its resolver about literals too; judged here as well, so no socket ever depends
            // on a library's choice of path.
            try {
                policy.addressesOf(host);
            } catch (OutboundRefused e) {
                throw new OutboundRefused(origin + ": " + e.getMessage());
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new OutboundTimeout(origin + ": no time was left for the call");
        }
        SimpleRequestBuilder request = SimpleRequestBuilder.post(url);
        ContentType contentType = ContentType.APPLICATION_JSON;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("content-type")) {
                contentType = ContentType.parse(header.getValue());
            } else {
                request.setHeader(header.getKey(), header.getValue());
            }
        }
        request.setBody(body, contentType);
        Future<OutboundResponse> exchange = client.execute(SimpleRequestProducer.create(request.build()),
                new CappedResponseConsumer(origin, limits.maxResponseBytes()), null);
        OutboundResponse response;
        try {
            response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new OutboundTimeout(origin + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Exception failure = translated(origin, e.getCause());
            if (failure instanceof OutboundRefused refused) {
                throw refused;
            }
            throw (IOException) failure;
        }
        if (response.status() >= 300 && response.status() <= 399) {
            throw new OutboundRefused(origin + " answered HTTP " + response.status() + redirectTarget(url, response)
                    + "; redirects are not followed: configure the URL that answers");
        }
        return response;
    }

    private static String redirectTarget(URI url, OutboundResponse response) {
        return response.header("location").map(location -> {
            try {
                return " (a redirect to " + Origin.of(url.resolve(location.trim())) + ")";
            } catch (IllegalArgumentException e) {
                return " (a redirect)";
            }
        }).orElse("");
    }

    /**
     * What a failed exchange is reported as, an {@link OutboundRefused} or an {@link IOException}: the policy's
     * refusal first, wherever it sits in the chain.
     */
    private static Exception translated(String origin, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PolicyDnsResolver.Refused refused) {
                return new OutboundRefused(origin + ": " + refused.refusal().getMessage());
            }
        }
        if (failure instanceof OutboundTooLarge tooLarge) {
            return tooLarge;
        }
        if (failure instanceof ConnectTimeoutException || failure instanceof SocketTimeoutException) {
            return new OutboundTimeout(origin + ": " + failure.getMessage());
        }
        String what = failure == null ? "unknown failure" : failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return new IOException(origin + ": " + what, failure);
    }

    private static void reactorFailed(Exception e) {
        // httpcore5 5.4 closes its selector before its last sweep of channels at shutdown: harmless, and not news.
        if (!(e instanceof ClosedSelectorException)) {
            LOG.warn("outbound HTTP client's I/O reactor failed", e);
        }
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
