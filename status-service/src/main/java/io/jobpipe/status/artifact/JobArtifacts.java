package io.jobpipe.status.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageView;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The artifacts of a job: the files its stages report in their output's {@code files} list
 * ({@code {"path","bytes","sha256"}}, as the built-in act and record agents write them, and as any agent may).
 * Only files in one of this job's folders ({@code <area>/<jobId>/...}) count: an agent's claim about another job's
 * file, or one outside the workspace's layout, is not an artifact of this job. Pure: no I/O.
 */
public final class JobArtifacts {
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    private JobArtifacts() {
    }

    public static List<Artifact> of(JobView job) {
        Map<String, Artifact> byName = new LinkedHashMap<>();
        for (StageView stage : job.stages()) {
            JsonNode files = stage.output() == null ? null : stage.output().get("files");
            if (files == null || !files.isArray()) {
                continue;
            }
            for (JsonNode file : files) {
                artifact(job.jobId(), stage.name(), file).ifPresent(a -> {
                    byName.remove(a.name());
                    byName.put(a.name(), a);
                });
            }
        }
        return List.copyOf(new ArrayList<>(byName.values()));
    }

    public static Optional<Artifact> named(JobView job, String name) {
        return of(job).stream().filter(a -> a.name().equals(name)).findFirst();
    }

    private static Optional<Artifact> artifact(String jobId, String stage, JsonNode file) {
        String path = file.path("path").asText("");
        String sha256 = file.path("sha256").asText("");
        if (!file.path("bytes").canConvertToLong() || !HEX_SHA256.matcher(sha256).matches()) {
            return Optional.empty();
        }
        String[] parts = path.split("/", 3);
        if (parts.length < 3 || parts[0].isEmpty() || !parts[1].equals(jobId) || !isPlainRelative(parts[2])) {
            return Optional.empty();
        }
        String name = parts[2];
        return Optional.of(new Artifact(name, stage, path, file.path("bytes").asLong(), sha256,
                "/jobs/" + jobId + "/artifacts/" + pathSegment(name)));
    }

    /** The name as one URL path segment: '/' and anything else outside the unreserved characters percent-encoded. */
    static String pathSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** No empty, '.' or '..' segment and no backslash: the name maps to one file below the job's folder. */
    static boolean isPlainRelative(String name) {
        if (name.isEmpty() || name.contains("\\") || name.startsWith("/") || name.endsWith("/")) {
            return false;
        }
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
