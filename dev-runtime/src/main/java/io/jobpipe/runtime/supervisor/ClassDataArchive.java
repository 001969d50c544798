package io.jobpipe.runtime.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Class data sharing (AppCDS) for one kind of child JVM: most of a service's start-up is loading and verifying the
 * same few thousand classes (measured, status-service alone: 6.0 s and 10.5 CPU-s to started, 2.3 s and 4.5 CPU-s
 * with an archive). The first start after a build records the classes it loaded into a temporary file when it
 * exits normally ({@code -XX:ArchiveClassesAtExit}); {@link #keep} then makes it the archive, which later starts
 * map ({@code -XX:SharedArchiveFile}).
 * <p>
 * The archive is used only while it is newer than every file it was made from (the module's jar and its
 * {@code lib} folder), and is named after the JDK, so a rebuild or another JDK records a new one instead of a JVM
 * refusing a stale one. A JVM that refuses an archive anyway runs without it; the JVM's own CDS messages are
 * off because they would land in the service's log, which may have to be JSON lines.
 */
final class ClassDataArchive {
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    /** 143: SIGTERM (how children are stopped); 130: SIGINT; 0: a normal exit. Anything else may have cut the dump. */
    private static final Set<Integer> CLEAN_EXITS = Set.of(0, 130, 143);

    private final Path archive;
    private final Path classesJar;
    private final Path libDir;
    private volatile Path recording;

    private ClassDataArchive(Path archive, Path classesJar, Path libDir) {
        this.archive = archive;
        this.classesJar = classesJar;
        this.libDir = libDir;
    }

    /**
     * The archive of JVMs that run {@code key} (a module's main class) from {@code classesJar} and the jars in
     * {@code libDir}, kept in {@code <classesJar's folder>/cds/}.
     */
    static ClassDataArchive of(Path classesJar, Path libDir, String key, Runtime.Version jdk) {
        String name = key + "-jdk" + jdk.toString().replaceAll("[^A-Za-z0-9.]+", "_") + ".jsa";
        return new ClassDataArchive(classesJar.toAbsolutePath().resolveSibling("cds").resolve(name),
                classesJar, libDir);
    }

    Path archive() {
        return archive;
    }

    /** True while a start of this JVM records a new archive at its exit (which takes a few seconds more). */
    boolean isRecording() {
        return recording != null;
    }

    /**
     * The JVM options of one start: map the archive when it is fresh; else, when {@code mayRecord}, record a new
     * one at exit (call {@link #keep} once the process ended); else none.
     */
    List<String> jvmOptions(boolean mayRecord) {
        if (isFresh()) {
            return Stream.concat(Stream.of("-XX:SharedArchiveFile=" + archive), QUIET.stream()).toList();
        }
        if (!mayRecord) {
            return List.of();
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            return List.of();
        }
        // A file of its own: two JVMs of one kind (ingest replicas, two runtimes of one build) record at once.
        Path file = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
        recording = file;
        return Stream.concat(Stream.of("-XX:ArchiveClassesAtExit=" + file), QUIET.stream()).toList();
    }

    /**
     * After the recording JVM ended with {@code exitCode}: a clean exit's recording becomes the archive (replacing
     * any, atomically); any other is deleted. Nothing to do when this start did not record.
     */
    void keep(Integer exitCode) {
        Path file = recording;
        if (file == null) {
            return;
        }
        recording = null;
        try {
            if (exitCode != null && CLEAN_EXITS.contains(exitCode) && Files.size(file) > 0) {
                Files.move(file, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            // The JVM wrote nothing (no base CDS archive in this JDK, or it never got to exit): no archive, no harm.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the class data archive " + archive, e);
        }
    }

    /** True when the archive exists and is newer than the jar and every file of the lib folder. */
    boolean isFresh() {
        try {
            if (!Files.isRegularFile(archive)) {
                return false;
            }
            FileTime made = Files.getLastModifiedTime(archive);
            if (Files.getLastModifiedTime(classesJar).compareTo(made) > 0) {
                return false;
            }
            if (!Files.isDirectory(libDir)) {
                return true;
            }
            try (Stream<Path> libs = Files.list(libDir)) {
                return libs.noneMatch(lib -> modifiedAfter(lib, made));
            }
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean modifiedAfter(Path file, FileTime time) {
        try {
            return Files.getLastModifiedTime(file).compareTo(time) > 0;
        } catch (IOException e) {
            return true;
        }
    }
}
