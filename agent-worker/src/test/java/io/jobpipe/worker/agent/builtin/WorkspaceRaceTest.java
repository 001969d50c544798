package io.jobpipe.worker.agent.builtin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several jobs' first files at the same moment, into a fresh workspace: they all create {@code jobs/} (a retry
 * in seed 003's example, once: {@code WorkspaceIOError} from the loser of that race). Every write must succeed.
 */
class WorkspaceRaceTest {
    private static final int JOBS = 8;
    private static final int ROUNDS = 40;

    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryJobsFirstFileWhenTheyAllCreateTheSameFoldersAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(JOBS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Workspace workspace = new Workspace(Files.createDirectories(dir.resolve("round-" + round)));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Workspace.WrittenFile>> writes = new ArrayList<>();
                for (int job = 0; job < JOBS; job++) {
                    String jobId = "job_" + job;
                    writes.add(pool.submit(() -> {
                        start.await();
                        return workspace.write(ActAgent.JOBS_AREA, jobId, "shared/pr-1/comment.md",
                                "hello".getBytes(StandardCharsets.UTF_8));
                    }));
                }
                start.countDown();
                for (Future<Workspace.WrittenFile> write : writes) {
                    assertThat(write.get().bytes()).isEqualTo(5);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
