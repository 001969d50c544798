package io.jobpipe.support.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The conventions every service's meters follow, as Micrometer filters (Micronaut applies each {@link MeterFilter}
 * bean to the registry before any meter exists):
 * <ul>
 *   <li>every series carries {@code service="<micronaut.application.name>"}, so one dashboard can tell the four
 *       services apart whatever the Prometheus job is called;</li>
 *   <li>every jobpipe timer publishes the histogram buckets of {@link LatencyHistograms}.</li>
 * </ul>
 * Names: jobpipe's own meters start with {@value #PREFIX} (Prometheus: {@code jobpipe_…}), in base units (seconds;
 * timers are exported in seconds), counters get {@code _total}. Tags are bounded sets (stage, connection, outcome,
 * type): never job ids or anything a sender chooses.
 */
@Factory
public class MeterConventions {
    /** The start of every jobpipe meter name. */
    public static final String PREFIX = "jobpipe.";
    public static final String SERVICE_TAG = "service";

    @Singleton
    @Named("jobpipe-service-tag")
    MeterFilter serviceTag(@Value("${micronaut.application.name:jobpipe}") String service) {
        return MeterFilter.commonTags(Tags.of(SERVICE_TAG, service));
    }

    @Singleton
    @Named("jobpipe-latency-histograms")
    MeterFilter latencyHistograms() {
        return new LatencyHistograms(PREFIX);
    }
}
