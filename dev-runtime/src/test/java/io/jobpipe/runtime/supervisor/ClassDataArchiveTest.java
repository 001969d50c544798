package io.jobpipe.runtime.supervisor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

class ClassDataArchiveTest {
    private static final Runtime.Version JDK = Runtime.Version.parse("17.0.15+6-Debian-1deb12u1");

    @TempDir
    Path dir;

    /** A real JVM records the archive at its exit, and the next one loads its class from it. */
    @Test
    void shouldRecordTheArchiveOnACleanExitAndLoadClassesFromItOnTheNextStart() throws Exception {
        Path jar = helloJar(dir.resolve("target/app.jar"));
        ClassDataArchive archive = ClassDataArchive.of(jar, dir.resolve("target/lib"), "Hello", Runtime.version());

        List<String> recording = archive.jvmOptions(true);
        assertThat(recording).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=" + dir.resolve("target/cds")));
        assertThat(archive.isRecording()).isTrue();
        Run first = java(recording, jar);
        assertThat(first.output()).contains("hello from Hello");
        archive.keep(first.exitCode());

        assertThat(archive.isRecording()).isFalse();
        assertThat(archive.isFresh()).isTrue();
        assertThat(archive.archive()).isRegularFile();
        List<String> using = new ArrayList<>(archive.jvmOptions(true));
        assertThat(using).contains("-XX:SharedArchiveFile=" + archive.archive());
        using.add("-Xlog:class+load=info");
        Run second = java(using, jar);
        assertThat(second.exitCode()).isZero();
        assertThat(second.output()).containsPattern(Hello.class.getName().replace("$", "\\$")
                + " source: shared objects file \\(top\\)");
        assertThat(Files.list(archive.archive().getParent())).hasSize(1);
    }

    @Test
    void shouldDiscardARecordingWhoseJvmWasKilled() throws IOException {
        Path jar = Files.createDirectories(dir.resolve("target")).resolve("app.jar");
        Files.writeString(jar, "jar");
        ClassDataArchive archive = ClassDataArchive.of(jar, dir.resolve("target/lib"), "Main", JDK);
        Path recording = recordingFile(archive.jvmOptions(true));
        Files.writeString(recording, "half an archive");

        archive.keep(137);

        assertThat(recording).doesNotExist();
        assertThat(archive.archive()).doesNotExist();
        assertThat(archive.isFresh()).isFalse();
    }

    @Test
    void shouldRecordAgainOnceTheJarOrALibraryIsNewerThanTheArchive() throws IOException {
        Path jar = Files.createDirectories(dir.resolve("target")).resolve("app.jar");
        Path lib = Files.createDirectories(dir.resolve("target/lib")).resolve("dep.jar");
        Files.writeString(jar, "jar");
        Files.writeString(lib, "dep");
        ClassDataArchive archive = ClassDataArchive.of(jar, lib.getParent(), "Main", JDK);
        Files.writeString(recordingFile(archive.jvmOptions(true)), "archive");
        archive.keep(143);
        Instant made = Files.getLastModifiedTime(archive.archive()).toInstant();
        assertThat(archive.jvmOptions(true)).contains("-XX:SharedArchiveFile=" + archive.archive());

        Files.setLastModifiedTime(lib, FileTime.from(made.plusSeconds(5)));
        assertThat(archive.isFresh()).isFalse();
        assertThat(archive.jvmOptions(false)).isEmpty();
        assertThat(archive.jvmOptions(true)).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));

        Files.setLastModifiedTime(lib, FileTime.from(made.minusSeconds(5)));
        Files.setLastModifiedTime(jar, FileTime.from(made.plusSeconds(5)));
        assertThat(archive.isFresh()).isFalse();
    }

    @Test
    void shouldNameTheArchiveAfterTheMainClassAndTheJdk() {
        ClassDataArchive archive = ClassDataArchive.of(dir.resolve("target/ingest-service.jar"), dir.resolve("target/lib"),
                "IngestApplication", JDK);

        assertThat(archive.archive()).isEqualTo(dir.resolve("target/cds/IngestApplication-jdk17.0.15_6_Debian_1deb12u1.jsa"));
    }

    private static Path recordingFile(List<String> options) {
        return Path.of(options.stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit=")).findFirst().orElseThrow()
                .substring("-XX:ArchiveClassesAtExit=".length()));
    }

    private record Run(int exitCode, String output) {
    }

    private static Run java(List<String> options, Path jar) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(options);
        command.addAll(List.of("-cp", jar.toString(), Hello.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    /** A jar holding only {@link Hello}: CDS archives classes from jars, not from folders. */
    private static Path helloJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        String entry = Hello.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             InputStream classFile = Hello.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            classFile.transferTo(jarOut);
            jarOut.closeEntry();
        }
        return jar;
    }

    /** The child JVM's program. */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello from Hello");
        }
    }
}
