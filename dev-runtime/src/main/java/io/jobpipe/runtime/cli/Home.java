package io.jobpipe.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: set by the {@code ./jobpipe} script, else found upwards from the working directory. */
final class Home {
    private Home() {
    }

    static Path path() {
        String fromScript = System.getProperty("jobpipe.home");
        if (fromScript != null && !fromScript.isBlank()) {
            return Path.of(fromScript).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("jobpipe")) && Files.isDirectory(p.resolve("pipeline-core"))) {
                return p;
            }
        }
        return dir;
    }
}
