package io.jobpipe.ingest.limits;

import io.jobpipe.ingest.config.IngestProperties;
import io.jobpipe.ingest.request.JsonRules;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every connection's limits, the rate limiter, the in-flight budget and who counts as a trusted proxy, built and
 * checked once at startup: a limit that cannot work (a body limit above the server's, a malformed CIDR) stops
 * the service instead of failing open later.
 */
@Context
public final class FrontDoorLimits {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoorLimits.class);

    private final Map<String, ConnectionLimits> byConnection;
    private final RateLimiter rateLimiter;
    private final InFlightBudget budget;
    private final ClientAddresses clientAddresses;
    private final long serverMaxBodyBytes;
    private final JsonRules jsonRules;

    public FrontDoorLimits(List<ConnectionLimitsProperties> connections, IngestLimitsProperties defaults,
                           IngestProperties ingest) {
        this.serverMaxBodyBytes = ingest.maxBodyBytes();
        this.byConnection = resolve(connections, defaults, serverMaxBodyBytes);
        this.rateLimiter = new RateLimiter(defaults.maxTrackedClients());
        this.budget = new InFlightBudget(defaults.maxInFlightRequests(), defaults.maxInFlightBytes());
        this.jsonRules = defaults.jsonRules();
        try {
            this.clientAddresses = ClientAddresses.of(defaults.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jobpipe.ingest.limits.trusted-proxies: " + e.getMessage(), e);
        }
        LOG.info("front door: in flight at most {} requests and {} bytes; trusted proxies {}; {}",
                budget.maxRequests(), budget.maxBytes(), defaults.trustedProxies(), byConnection);
    }

    static Map<String, ConnectionLimits> resolve(List<ConnectionLimitsProperties> connections,
                                                 IngestLimitsProperties defaults, long serverMaxBodyBytes) {
        Map<String, ConnectionLimits> resolved = new TreeMap<>();
        for (ConnectionLimitsProperties c : connections) {
            String prefix = "jobpipe.ingest.connections." + c.name() + ".";
            long maxBody = c.maxBodyBytes() == null ? serverMaxBodyBytes : c.maxBodyBytes();
            if (maxBody < 1 || maxBody > serverMaxBodyBytes) {
                throw new IllegalArgumentException(prefix + "max-body-bytes is " + maxBody + "; it must be 1 to "
                        + serverMaxBodyBytes + " (jobpipe.ingest.max-body-bytes, the server's limit)");
            }
            try {
                resolved.put(c.name(), new ConnectionLimits(
                        new AcceptedContentTypes(c.contentTypes() == null || c.contentTypes().isEmpty()
                                ? defaults.contentTypes() : c.contentTypes()),
                        maxBody,
                        c.ratePerSecond() == null ? defaults.connectionRate() : Rate.of(c.ratePerSecond(), c.burst()),
                        c.clientRatePerSecond() == null ? defaults.clientRate()
                                : Rate.of(c.clientRatePerSecond(), c.clientBurst())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "*: " + e.getMessage(), e);
            }
        }
        return Map.copyOf(resolved);
    }

    /** The largest body {@code connection} takes; the server's limit for a connection without limits of its own. */
    public long maxBodyBytes(String connection) {
        ConnectionLimits connectionLimits = byConnection.get(connection);
        return connectionLimits == null ? serverMaxBodyBytes : connectionLimits.maxBodyBytes();
    }

    public JsonRules jsonRules() {
        return jsonRules;
    }

    public Optional<ConnectionLimits> limitsOf(String connection) {
        return Optional.ofNullable(byConnection.get(connection));
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    public InFlightBudget budget() {
        return budget;
    }

    public ClientAddresses clientAddresses() {
        return clientAddresses;
    }

    /** What a body of unknown length (chunked) may grow to before the server refuses it. */
    public long serverMaxBodyBytes() {
        return serverMaxBodyBytes;
    }
}
