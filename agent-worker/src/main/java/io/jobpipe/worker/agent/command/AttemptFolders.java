package io.jobpipe.worker.agent.command;

import io.jobpipe.agent.AgentException;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/**
 * The working folders of command attempts: {@code <workspace>/commands/<jobId>/<stage>/<attempt>}, one per attempt,
 * created empty (a folder an earlier delivery of the same attempt left is deleted first). Deleting one also deletes
 * the job's and stage's folders once they are empty, so finished jobs leave no folders behind. Deletion never follows
 * a symbolic link a program planted: it removes the link, not what it points to.
 */
public final class AttemptFolders {
    public static final String AREA = "commands";
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Path root;

    public AttemptFolders(Path workspaceRoot) {
        this.root = workspaceRoot.toAbsolutePath().normalize().resolve(AREA);
    }

    public Path folderOf(String jobId, String stage, int attempt) {
        for (String segment : new String[]{jobId, stage}) {
            if (segment == null || !SAFE_SEGMENT.matcher(segment).matches()) {
                throw AgentException.permanent("SandboxViolation", "'" + segment + "' cannot name a working folder");
            }
        }
        return root.resolve(jobId).resolve(stage).resolve(Integer.toString(attempt));
    }

    /** A new, empty folder for the attempt, with an empty {@code tmp} inside (the program's TMPDIR). */
    public Path createFresh(String jobId, String stage, int attempt) throws IOException {
        Path folder = folderOf(jobId, stage, attempt);
        deleteTree(folder);
        try {
            Files.createDirectories(folder.resolve("tmp"));
        } catch (NoSuchFileException e) {
            // The attempt before this one just removed the empty parents it shared with it: make them again.
            Files.createDirectories(folder.resolve("tmp"));
        }
        return folder;
    }

    /** Deletes the attempt's folder, then its stage's and job's folders if nothing else is in them. */
    public void delete(Path folder) throws IOException {
        deleteTree(folder);
        for (Path parent = folder.getParent(); parent != null && parent.startsWith(root) && !parent.equals(root);
             parent = parent.getParent()) {
            try {
                Files.deleteIfExists(parent);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // walkFileTree does not follow links: a link is visited as a file and removed as one.
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
