package io.jobpipe.status.artifact;

import io.jobpipe.status.projection.JobView;
import io.jobpipe.support.http.ProblemException;
import io.jobpipe.support.http.ProblemType;

import java.util.Map;

/** Why an artifact download is refused; each problem names the artifact and says what to do. */
final class ArtifactProblems {
    static final ProblemType UNKNOWN = ProblemType.of(404, "artifact-not-found", "The job has no such artifact");
    static final ProblemType MISSING = ProblemType.of(404, "artifact-missing",
            "The artifact is not in this instance's workspace");
    static final ProblemType CHANGED = ProblemType.of(409, "artifact-changed",
            "The artifact's file was rewritten since its stage wrote it");
    static final ProblemType TOO_LARGE = ProblemType.of(413, "artifact-too-large",
            "The artifact is larger than a download may be");

    private ArtifactProblems() {
    }

    static ProblemException unknown(JobView job, String name) {
        return new ProblemException(UNKNOWN, "job " + job.jobId() + " has no artifact '" + name + "'; GET /jobs/"
                + job.jobId() + " lists its artifacts", Map.of("jobId", job.jobId(), "artifact", name));
    }

    static ProblemException missing(Artifact artifact) {
        return new ProblemException(MISSING, "stage '" + artifact.stage() + "' wrote '" + artifact.name()
                + "', but the file is not in this status-service's workspace: it was deleted, or this instance does not"
                + " share the workers' workspace (JOBPIPE_WORKSPACE)", Map.of("artifact", artifact.name()));
    }

    static ProblemException changed(Artifact artifact, String sha256) {
        return new ProblemException(CHANGED, "'" + artifact.name() + "' no longer has the SHA-256 stage '"
                + artifact.stage() + "' reported; another run rewrote it", Map.of("artifact", artifact.name(),
                "expectedSha256", artifact.sha256(), "actualSha256", sha256));
    }

    static ProblemException tooLarge(Artifact artifact, ArtifactStore.Read.TooLarge large) {
        return new ProblemException(TOO_LARGE, "'" + artifact.name() + "' has " + large.bytes() + " bytes; downloads"
                + " stop at " + large.maxBytes() + " (jobpipe.status.artifacts.max-bytes)",
                Map.of("artifact", artifact.name(), "maxBytes", large.maxBytes()));
    }
}
