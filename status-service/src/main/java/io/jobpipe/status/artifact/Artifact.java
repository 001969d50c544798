package io.jobpipe.status.artifact;

import io.micronaut.core.annotation.Introspected;

/**
 * A file a job's stage wrote into the agents' workspace, as {@code GET /jobs/{id}} lists it.
 *
 * @param name   its path below the job's own folder (e.g. {@code pr-41/comment.md}); the download URL's last part
 * @param stage  the stage that wrote it (the latest, when two wrote the same name)
 * @param path   its path below the workspace root, as the stage reported it
 * @param bytes  its size when written
 * @param sha256 its SHA-256 (hex) when written; a download checks the file still has it
 * @param url    where to download it, relative to this API's root
 */
@Introspected
public record Artifact(String name, String stage, String path, long bytes, String sha256, String url) {
}
