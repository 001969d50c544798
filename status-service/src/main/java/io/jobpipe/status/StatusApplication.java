package io.jobpipe.status;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.jobpipe.support.logging.LogFormat;
import io.jobpipe.support.metrics.PrometheusScrapeController;
import io.jobpipe.support.openapi.OpenApiController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.jobpipe.status.bench.ProjectionBench;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.rebuild.ReadModelRebuild;
import io.jobpipe.status.store.JobEventProjector;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** Projects job events into PostgreSQL and serves the job API, including live Server-Sent Events. */
@OpenAPIDefinition(info = @Info(title = "jobpipe status-service", version = "1",
        description = "Job status, search, live events (SSE), stats, CSV exports and the ops API of jobpipe."))
@SecurityScheme(name = "token", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token of JOBPIPE_OPS_TOKENS: read for listing, search, stats, exports, the firehose and the"
                + " ops views; operate for ops commands. One job by its id needs none.")
@OpenAPIInclude(classes = {PrometheusScrapeController.class, OpenApiController.class})
public final class StatusApplication {
    static final String REBUILD = "rebuild";
    /** {@code rebuild --allow-partial}: rebuild even when the topic's retention deleted part of its history. */
    static final String ALLOW_PARTIAL = "--allow-partial";
    static final String BENCH_PROJECTION = "bench-projection";
    private StatusApplication() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(REBUILD)) {
            System.exit(rebuild(List.of(args).contains(ALLOW_PARTIAL)));
        }
        if (args.length > 0 && args[0].equals(BENCH_PROJECTION)) {
            System.exit(benchProjection(args));
        }
        ParentProcessWatch.startFromEnvironment();
        Micronaut.build(args).mainClass(StatusApplication.class).banner(LogFormat.configured().banner()).start();
    }

    /**
     * {@code rebuild [--allow-partial]}: rebuilds the read model from the job events topic and exits (0 done, 1 failed
     * or refused: part of the topic's history is gone and {@code --allow-partial} was not given), with the
     * service's configuration but no HTTP server, live projection or retention.
     */
    static int rebuild(boolean allowPartial) {
        try (ApplicationContext context = ApplicationContext.builder(StatusApplication.class)
                .properties(Map.of("jobpipe.status.projection.enabled", false,
                        "jobpipe.status.retention.enabled", false,
                        "jobpipe.status.breakers.enabled", false))
                .start()) {
            context.getBean(ReadModelRebuild.class).rebuild(line -> System.out.println("rebuild  " + line), allowPartial);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("rebuild failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * {@code bench-projection [jobs] [rounds] [warm-up rounds]}: {@link ProjectionBench} on the configured database (a scratch one:
     * it writes jobs of its own), then exits: 0 the target met, 1 missed, 2 could not run.
     */
    static int benchProjection(String[] args) {
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int warmupRounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        try (ApplicationContext context = ApplicationContext.builder(StatusApplication.class)
                .properties(Map.of("jobpipe.status.projection.enabled", false,
                        "jobpipe.status.retention.enabled", false,
                        "jobpipe.status.breakers.enabled", false))
                .start()) {
            Environment env = context.getEnvironment();
            ProjectionBench bench = new ProjectionBench(context.getBean(JobEventProjector.class),
                    context.getBean(ProjectionProperties.class).maxPollRecords(),
                    env.getRequiredProperty("datasources.default.url", String.class),
                    env.getRequiredProperty("datasources.default.username", String.class),
                    env.getRequiredProperty("datasources.default.password", String.class),
                    line -> System.out.println("projection-bench " + line));
            return bench.run(jobs, rounds, warmupRounds) ? 0 : 1;
        } catch (RuntimeException | SQLException e) {
            System.err.println("projection bench failed: " + e);
            return 2;
        }
    }
}
