package io.jobpipe.runtime.supervisor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options every jobpipe service starts with, before the user's own ({@code --java-opts}), so the user's win:
 * HotSpot takes the last of a repeated option.
 * <p>
 * {@code -XX:MetaspaceSize} is the class-metadata size that first triggers a collection, 21 MB by default. A service
 * loads 60–75 MB of class metadata, much of it lazily on its first requests and first jobs, and every time the
 * threshold is crossed the JVM runs a full collection: three per service, 50–180 ms each on 2 busy cores, the tail
 * of the status API's latency while the first jobs ran (ExampleProvisioningTest's p99 reached 136 ms). 128 MB is above
 * what any service loads; it reserves nothing, and a service that keeps loading classes is still collected there.
 */
public final class ServiceJvmOptions {
    static final List<String> DEFAULTS = List.of("-XX:MetaspaceSize=128m");

    private ServiceJvmOptions() {
    }

    /** The defaults, then {@code javaOpts} split on whitespace (null or blank: the defaults alone). */
    public static List<String> of(String javaOpts) {
        List<String> options = new ArrayList<>(DEFAULTS);
        if (javaOpts != null && !javaOpts.isBlank()) {
            options.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
        }
        return options;
    }
}
