package io.jobpipe.status.artifact;

import io.jobpipe.status.api.StatusProblems;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobReadModel;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;

/**
 * {@code GET /jobs/{id}/artifacts/{name}}: one file a stage of the job wrote, as {@code GET /jobs/{id}} lists it.
 * The name is one path segment: a name with folders comes with its '/' encoded ({@code pr-41%2Fcomment.md}), as the
 * listed {@code url} has it.
 * Always a download ({@code Content-Disposition: attachment}, {@code nosniff} and a sandboxing CSP): an agent's file
 * may be HTML, and this origin also serves the console, which holds the viewer's token.
 */
@Controller("/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ArtifactController {
    private final JobReadModel readModel;
    private final ArtifactStore store;

    public ArtifactController(JobReadModel readModel, ArtifactStore store) {
        this.readModel = readModel;
        this.store = store;
    }

    @Get(value = "/{jobId}/artifacts/{name}", produces = MediaType.APPLICATION_OCTET_STREAM)
    public HttpResponse<byte[]> artifact(@PathVariable String jobId, @PathVariable String name) throws IOException {
        JobView job = readModel.job(jobId).orElseThrow(() -> StatusProblems.jobNotFound(jobId));
        Artifact artifact = JobArtifacts.named(job, name).orElseThrow(() -> ArtifactProblems.unknown(job, name));
        ArtifactStore.Read read = store.read(artifact);
        if (read instanceof ArtifactStore.Read.Found found) {
            String fileName = name.substring(name.lastIndexOf('/') + 1);
            return HttpResponse.ok(found.content())
                    .contentType(MediaType.forFilename(fileName))
                    .header("Content-Disposition", "attachment; filename=\"" + fileName.replace("\"", "") + "\"")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "sandbox")
                    .header("ETag", "\"" + artifact.sha256() + "\"");
        }
        if (read instanceof ArtifactStore.Read.Changed changed) {
            throw ArtifactProblems.changed(artifact, changed.sha256());
        }
        if (read instanceof ArtifactStore.Read.TooLarge large) {
            throw ArtifactProblems.tooLarge(artifact, large);
        }
        throw ArtifactProblems.missing(artifact);
    }
}
