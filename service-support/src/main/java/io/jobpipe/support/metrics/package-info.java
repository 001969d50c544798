/**
 * Prometheus metrics, stated once for every service: {@code GET /metrics} in the Prometheus text format, the
 * {@code service} tag on every series, the {@code jobpipe_} name prefix and the latency histogram buckets.
 * Each service names its own meters (a small {@code *Metrics} class per service) and records them in one place.
 */
package io.jobpipe.support.metrics;
