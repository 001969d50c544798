package io.jobpipe.status.artifact;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageStatus;
import io.jobpipe.status.projection.StageView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobArtifactsTest {
    private static final String SHA = "a".repeat(64);
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void shouldTakeTheLatestStagesFileWhenTwoStagesWroteTheSameName() {
        JobView job = job(stage("act", 1, file("jobs/j1/report.md", 10), file("jobs/j1/pr 7/notes.txt", 3)),
                stage("record", 2, file("jobs/j1/report.md", 12)));

        List<Artifact> artifacts = JobArtifacts.of(job);

        assertThat(artifacts).extracting(Artifact::name, Artifact::stage, Artifact::bytes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pr 7/notes.txt", "act", 3L),
                        org.assertj.core.groups.Tuple.tuple("report.md", "record", 12L));
        assertThat(artifacts.get(0).url()).isEqualTo("/jobs/j1/artifacts/pr%207%2Fnotes.txt");
    }

    @Test
    void shouldIgnoreFilesOfOtherJobsPathsThatLeaveTheFolderAndEntriesWithoutSizeOrDigest() {
        ObjectNode noDigest = file("jobs/j1/a.txt", 1);
        noDigest.put("sha256", "not-hex");
        JobView job = job(stage("act", 1, file("jobs/j2/b.txt", 1), file("jobs/j1/../j2/c.txt", 1),
                file("j1/d.txt", 1), file("jobs/j1/./e.txt", 1), file("jobs/j1/f\\g.txt", 1), noDigest,
                JsonNodeFactory.instance.objectNode().put("path", "jobs/j1/h.txt").put("sha256", SHA)));

        assertThat(JobArtifacts.of(job)).isEmpty();
    }

    private static JobView job(StageView... stages) {
        return new JobView("j1", "github", "push", "d1", "r1", "default", JobStatus.COMPLETED, null, null, 9, null,
                null, null, T0, T0, T0, List.of(stages));
    }

    private static StageView stage(String name, int position, ObjectNode... files) {
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        for (ObjectNode file : files) {
            output.withArray("files").add(file);
        }
        return new StageView(name, position, StageStatus.SUCCEEDED, 1, T0, T0, 1L, null, output, null, null, null);
    }

    private static ObjectNode file(String path, long bytes) {
        return JsonNodeFactory.instance.objectNode().put("path", path).put("bytes", bytes).put("sha256", SHA);
    }
}
