package io.jobpipe.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jobpipe.core.event.AgentSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pipeline catalog from YAML and validates it, naming the place of each mistake
 * ({@code pipelines.default.stages[2]: …}). Unknown keys are errors: a typo must not silently drop a retry policy.
 */
public final class PipelineCatalogLoader {
    public static final String DEFAULT_RESOURCE = "/pipelines/default.yaml";
    /**
     * A stage's concurrency when neither it nor the file's defaults say: its agents running at once per worker, and
     * so the most records a poll takes for it. 16 keeps a quick stage's batches large enough for hundreds of hops a
     * second (4 capped one at about 130/s on 2 cores) without a pool of idle threads per stage.
     */
    public static final int DEFAULT_CONCURRENCY = 16;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PipelineCatalogLoader() {
    }

    /** The seven-stage default catalog shipped with jobpipe. */
    public static PipelineCatalog loadDefault() {
        try (InputStream in = PipelineCatalogLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return parse(in.readAllBytes(), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The catalog at {@code path}, or the default one when {@code path} is null or blank; {@code ${NAME}} placeholders
     * are filled from the environment first ({@link EnvironmentPlaceholders}).
     */
    public static PipelineCatalog load(String path) {
        if (path == null || path.isBlank()) {
            return loadDefault();
        }
        try {
            String text = EnvironmentPlaceholders.fill(Files.readString(Path.of(path)), System::getenv, path);
            return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read pipeline file " + path + ": " + e.getMessage(), e);
        }
    }

    public static PipelineCatalog parse(String yaml) {
        return parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "<string>");
    }

    static PipelineCatalog parse(byte[] yaml, String source) {
        CatalogFile file;
        try {
            file = YAML.readValue(yaml, CatalogFile.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(source + ": not a valid pipeline file: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot read pipeline file: " + e.getMessage(), e);
        }
        if (file == null || file.pipelines == null || file.pipelines.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'pipelines' is missing or empty");
        }
        StageFile defaults = file.defaults == null ? new StageFile() : file.defaults;
        Map<String, PipelineDefinition> pipelines = new LinkedHashMap<>();
        file.pipelines.forEach((name, pipeline) -> pipelines.put(name, toPipeline(source, name, pipeline, defaults)));
        List<Route> routes = new ArrayList<>();
        if (file.routes == null || file.routes.isEmpty()) {
            if (!pipelines.containsKey("default")) {
                throw new IllegalArgumentException(source + ": no routes and no pipeline named 'default'");
            }
            routes.add(new Route(Route.ANY, Route.ANY, "default"));
        } else {
            for (int i = 0; i < file.routes.size(); i++) {
                RouteFile r = file.routes.get(i);
                if (r.pipeline == null) {
                    throw new IllegalArgumentException(source + ": routes[" + i + "]: 'pipeline' is required");
                }
                routes.add(new Route(r.connection, r.eventType, r.pipeline));
            }
        }
        try {
            return new PipelineCatalog(pipelines, routes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static PipelineDefinition toPipeline(String source, String name, PipelineFile pipeline, StageFile defaults) {
        String where = source + ": pipelines." + name;
        if (pipeline == null || pipeline.stages == null || pipeline.stages.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'stages' is missing or empty");
        }
        List<StageDefinition> stages = new ArrayList<>();
        for (int i = 0; i < pipeline.stages.size(); i++) {
            StageFile stage = pipeline.stages.get(i);
            String at = where + ".stages[" + i + "]";
            try {
                stages.add(toStage(stage, defaults));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        try {
            return new PipelineDefinition(name, stages);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static StageDefinition toStage(StageFile stage, StageFile defaults) {
        if (stage == null || stage.name == null) {
            throw new IllegalArgumentException("'name' is required");
        }
        String agent = stage.agent != null ? stage.agent : "builtin:" + stage.name;
        String timeout = first(stage.timeout, defaults.timeout, "30s");
        RetryFile retry = merge(stage.retry, defaults.retry);
        int concurrency = stage.concurrency != null ? stage.concurrency
                : defaults.concurrency != null ? defaults.concurrency : DEFAULT_CONCURRENCY;
        return new StageDefinition(stage.name, AgentSpec.parse(agent, stage.settings), Durations.parse(timeout),
                toRetry(retry), concurrency, toBreaker(merge(stage.breaker, defaults.breaker)));
    }

    private static BreakerPolicy toBreaker(BreakerFile b) {
        BreakerPolicy d = BreakerPolicy.DEFAULT;
        try {
            return new BreakerPolicy(
                    b.enabled == null ? d.enabled() : b.enabled,
                    b.failureRate == null ? d.failureRate() : b.failureRate,
                    b.window == null ? d.window() : b.window,
                    b.minimumAttempts == null ? Math.min(d.minimumAttempts(), b.window == null ? d.window() : b.window)
                            : b.minimumAttempts,
                    b.cooldown == null ? d.cooldown() : Durations.parse(b.cooldown));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("breaker: " + e.getMessage(), e);
        }
    }

    private static BreakerFile merge(BreakerFile stage, BreakerFile defaults) {
        BreakerFile merged = new BreakerFile();
        BreakerFile s = stage == null ? new BreakerFile() : stage;
        BreakerFile d = defaults == null ? new BreakerFile() : defaults;
        merged.enabled = s.enabled != null ? s.enabled : d.enabled;
        merged.failureRate = s.failureRate != null ? s.failureRate : d.failureRate;
        merged.window = s.window != null ? s.window : d.window;
        merged.minimumAttempts = s.minimumAttempts != null ? s.minimumAttempts : d.minimumAttempts;
        merged.cooldown = s.cooldown != null ? s.cooldown : d.cooldown;
        return merged;
    }

    private static RetryPolicy toRetry(RetryFile r) {
        RetryPolicy d = RetryPolicy.DEFAULT;
        return new RetryPolicy(
                r.initialInterval == null ? d.initialInterval() : Durations.parse(r.initialInterval),
                r.coefficient == null ? d.coefficient() : r.coefficient,
                r.maximumInterval == null ? d.maximumInterval() : Durations.parse(r.maximumInterval),
                r.maximumAttempts == null ? d.maximumAttempts() : r.maximumAttempts,
                r.jitter == null ? d.jitter() : r.jitter,
                r.nonRetryableErrors == null ? d.nonRetryableErrors() : r.nonRetryableErrors,
                r.maximumRetryAfter == null ? d.maximumRetryAfter() : Durations.parse(r.maximumRetryAfter));
    }

    private static RetryFile merge(RetryFile stage, RetryFile defaults) {
        RetryFile merged = new RetryFile();
        RetryFile s = stage == null ? new RetryFile() : stage;
        RetryFile d = defaults == null ? new RetryFile() : defaults;
        merged.initialInterval = s.initialInterval != null ? s.initialInterval : d.initialInterval;
        merged.coefficient = s.coefficient != null ? s.coefficient : d.coefficient;
        merged.maximumInterval = s.maximumInterval != null ? s.maximumInterval : d.maximumInterval;
        merged.maximumAttempts = s.maximumAttempts != null ? s.maximumAttempts : d.maximumAttempts;
        merged.jitter = s.jitter != null ? s.jitter : d.jitter;
        merged.nonRetryableErrors = s.nonRetryableErrors != null ? s.nonRetryableErrors : d.nonRetryableErrors;
        merged.maximumRetryAfter = s.maximumRetryAfter != null ? s.maximumRetryAfter : d.maximumRetryAfter;
        return merged;
    }

    private static String first(String a, String b, String fallback) {
        return a != null ? a : b != null ? b : fallback;
    }

    // The file's shape, kept apart from the validated records above.
    static final class CatalogFile {
        @JsonProperty public StageFile defaults;
        @JsonProperty public Map<String, PipelineFile> pipelines;
        @JsonProperty public List<RouteFile> routes;
    }

    static final class PipelineFile {
        @JsonProperty public String description;
        @JsonProperty public List<StageFile> stages;
    }

    static final class StageFile {
        @JsonProperty public String name;
        @JsonProperty public String agent;
        @JsonProperty public Map<String, Object> settings;
        @JsonProperty public String timeout;
        @JsonProperty public RetryFile retry;
        @JsonProperty public Integer concurrency;
        @JsonProperty public BreakerFile breaker;
    }

    static final class BreakerFile {
        @JsonProperty public Boolean enabled;
        @JsonProperty public Double failureRate;
        @JsonProperty public Integer window;
        @JsonProperty public Integer minimumAttempts;
        @JsonProperty public String cooldown;
    }

    static final class RetryFile {
        @JsonProperty public String initialInterval;
        @JsonProperty public Double coefficient;
        @JsonProperty public String maximumInterval;
        @JsonProperty public Integer maximumAttempts;
        @JsonProperty public Double jitter;
        @JsonProperty public Set<String> nonRetryableErrors;
        @JsonProperty public String maximumRetryAfter;
    }

    static final class RouteFile {
        @JsonProperty public String connection;
        @JsonProperty public String eventType;
        @JsonProperty public String pipeline;
    }

}
