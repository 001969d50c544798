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
 * <p>
 * The heap: 64 MB to start and 512 MB at most, except status-service, which starts at 256 MB. With the serial
 * collector (the services' own, for their idle cost) the old generation grows only through full collections, and a
 * status serving 1,000 SSE subscribers at 200 jobs/s holds about 55 MB and promotes about 4 MB a second (each job's
 * recent events live for seconds): from 64 MB it ran a full collection of 100–170 ms every 10 s, each one a pause of
 * every stream, and its p99 to subscribers was 75 ms against 29 ms from 256 MB (docs/BENCHMARKS.md, issue 10). Any
 * heap option of the user's ({@code -Xms}, {@code -Xmx}, or their {@code -XX:} forms) replaces both defaults, so the
 * two never conflict.
 */
public final class ServiceJvmOptions {
    static final List<String> DEFAULTS = List.of("-XX:MetaspaceSize=128m");
    static final List<String> HEAP = List.of("-Xms64m", "-Xmx512m");
    static final List<String> STATUS_HEAP = List.of("-Xms256m", "-Xmx512m");
    private static final List<String> HEAP_OPTIONS = List.of("-Xms", "-Xmx", "-XX:InitialHeapSize=",
            "-XX:MaxHeapSize=", "-XX:MinHeapSize=", "-XX:InitialRAMPercentage=", "-XX:MaxRAMPercentage=",
            "-XX:MinRAMPercentage=");

    private ServiceJvmOptions() {
    }

    /**
     * The defaults of {@code module} (a Maven module, e.g. {@code status-service}), then {@code javaOpts} split on
     * whitespace (null or blank: the defaults alone).
     */
    public static List<String> of(String module, String javaOpts) {
        List<String> user = javaOpts == null || javaOpts.isBlank() ? List.of()
                : Arrays.asList(javaOpts.trim().split("\\s+"));
        List<String> options = new ArrayList<>(DEFAULTS);
        if (user.stream().noneMatch(ServiceJvmOptions::setsHeap)) {
            options.addAll("status-service".equals(module) ? STATUS_HEAP : HEAP);
        }
        options.addAll(user);
        return options;
    }

    private static boolean setsHeap(String option) {
        return HEAP_OPTIONS.stream().anyMatch(option::startsWith);
    }
}
