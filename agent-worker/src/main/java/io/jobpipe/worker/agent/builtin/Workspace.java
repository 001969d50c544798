package io.jobpipe.worker.agent.builtin;

import io.jobpipe.agent.AgentException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * The only place built-in agents write files: {@code <root>/<area>/<jobId>/<relative path>}. Absolute
 * paths, {@code ..} and symlinks that lead outside the root are refused ({@code SandboxViolation},
 * non-retryable). Each file is written to a temporary sibling and renamed over the target, so a
 * re-delivered request overwrites the same files whole and a rename never follows a planted symlink.
 */
public final class Workspace {
    public static final String SANDBOX_VIOLATION = "SandboxViolation";
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final Path root;

    public Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** A file written: its path relative to the workspace root ('/'-separated), size and SHA-256. */
    public record WrittenFile(String path, long bytes, String sha256) {
    }

    public WrittenFile write(String area, String jobId, String relativePath, byte[] content) {
        Path relative = checkedRelative(relativePath);
        requireSafeSegment("area", area);
        requireSafeSegment("job id", jobId);
        try {
            Files.createDirectories(root);
            Path realRoot = root.toRealPath();
            Path parent = descend(realRoot, Path.of(area, jobId).resolve(relative).getParent());
            Path target = parent.resolve(relative.getFileName().toString());
            refuseEscapingLink(realRoot, target, relativePath);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw AgentException.permanent("WorkspaceConflict", "'" + relativePath + "' is a directory in the workspace");
            }
            Path temp = Files.createTempFile(parent, ".write-", ".part");
            try {
                Files.write(temp, content);
                readableByOthers(temp);
                moveOver(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            String shown = realRoot.relativize(target).toString().replace('\\', '/');
            return new WrittenFile(shown, content.length, Enricher.sha256(content));
        } catch (IOException e) {
            throw AgentException.transientFailure("WorkspaceIOError",
                    "cannot write '" + relativePath + "' in workspace " + root + ": " + e, e);
        }
    }

    /** Rejects anything but a plain relative path that stays below its folder. */
    static Path checkedRelative(String relativePath) {
        if (relativePath == null || relativePath.isBlank()) {
            throw violation("a file path is required");
        }
        if (relativePath.startsWith("/") || relativePath.startsWith("\\") || WINDOWS_DRIVE.matcher(relativePath).matches()) {
            throw violation("absolute path '" + relativePath + "' is not allowed; paths are relative to the job's folder");
        }
        Path path;
        try {
            path = Path.of(relativePath);
        } catch (InvalidPathException e) {
            throw violation("'" + relativePath + "' is not a valid path: " + e.getReason());
        }
        if (path.isAbsolute()) {
            throw violation("absolute path '" + relativePath + "' is not allowed");
        }
        if (relativePath.contains("\\")) {
            throw violation("'" + relativePath + "' uses '\\'; separate folders with '/'");
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw violation("'" + relativePath + "' leaves the job's folder ('..' is not allowed)");
            }
        }
        Path normalized = path.normalize();
        if (normalized.toString().isEmpty() || normalized.getFileName() == null) {
            throw violation("'" + relativePath + "' names no file");
        }
        return normalized;
    }

    /** Walks down from the real root, creating folders, and refuses any existing step that resolves outside it. */
    private static Path descend(Path realRoot, Path relativeDir) throws IOException {
        Path current = realRoot;
        if (relativeDir == null) {
            return current;
        }
        for (Path part : relativeDir) {
            Path next = current.resolve(part.toString());
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(next);
                    current = next;
                    continue;
                } catch (FileAlreadyExistsException raced) {
                    // Another agent created it since the check (two jobs' first files at once): check it as any
                    // existing step below, instead of failing this attempt.
                }
            }
            Path real = next.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw violation("'" + realRoot.relativize(next) + "' is a link that leads outside the workspace");
            }
            if (!Files.isDirectory(real)) {
                throw AgentException.permanent("WorkspaceConflict", "'" + realRoot.relativize(next) + "' is not a folder");
            }
            current = real;
        }
        return current;
    }

    private static void refuseEscapingLink(Path realRoot, Path target, String relativePath) throws IOException {
        if (!Files.isSymbolicLink(target)) {
            return;
        }
        Path pointsTo = target.getParent().resolve(Files.readSymbolicLink(target)).normalize();
        Path real = Files.exists(pointsTo) ? pointsTo.toRealPath() : pointsTo;
        if (!real.startsWith(realRoot)) {
            throw violation("'" + relativePath + "' is a link that leads outside the workspace");
        }
    }

    private static void moveOver(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Temporary files start private (0600); artifacts are meant to be read, like any file the user writes. */
    private static void readableByOthers(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: its defaults apply
        }
    }

    private static void requireSafeSegment(String what, String value) {
        if (value == null || !SAFE_SEGMENT.matcher(value).matches()) {
            throw violation(what + " '" + value + "' cannot name a workspace folder");
        }
    }

    private static AgentException violation(String message) {
        return AgentException.permanent(SANDBOX_VIOLATION, message);
    }
}
