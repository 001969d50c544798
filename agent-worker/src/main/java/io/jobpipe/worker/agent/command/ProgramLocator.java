package io.jobpipe.worker.agent.command;

import io.jobpipe.agent.AgentException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the file a {@code command:<program>} binding names, so that argv[0] is always an absolute path and the
 * operating system never searches for it:
 * <ul>
 *   <li>an absolute path is taken as it is;</li>
 *   <li>a path with a {@code /} ({@code ./scripts/parse.py}, {@code bin/tool}) is relative to the folder of the
 *       pipeline file that binds it ({@code jobpipe.pipelines.file}): a pipeline and its scripts move together,
 *       and the worker's own working directory (or the attempt's) never changes what runs;</li>
 *   <li>a bare name ({@code python3}) is looked up in the PATH the program itself gets, skipping relative
 *       entries such as {@code .}, which would make the attempt's folder decide what runs.</li>
 * </ul>
 * A name that leads to no executable file is {@value #NOT_FOUND}, not retryable: it is a configuration error.
 */
public final class ProgramLocator {
    public static final String NOT_FOUND = "CommandNotFound";

    private final Optional<Path> pipelineFolder;

    /** @param pipelineFolder the folder of the pipeline file; empty when the built-in catalog is in use */
    public ProgramLocator(Optional<Path> pipelineFolder) {
        this.pipelineFolder = pipelineFolder.map(p -> p.toAbsolutePath().normalize());
    }

    /**
     * @param program the binding's target, {@code command:<program>}
     * @param path    the PATH the program gets
     * @throws AgentException {@value #NOT_FOUND} when it names no executable file
     */
    public Path locate(String program, String path) {
        Path file = program.contains("/") ? byPath(program) : onPath(program, path, pipelineFolder);
        if (!Files.isRegularFile(file)) {
            throw notFound("'" + program + "' resolves to " + file + ", which " + (Files.exists(file)
                    ? "is not a regular file" : "does not exist") + describeRule(program));
        }
        if (!Files.isExecutable(file)) {
            throw notFound("'" + program + "' resolves to " + file + ", which is not executable (chmod +x it)");
        }
        return file;
    }

    /** What is wrong with the binding whatever the files on disk, or empty: checked at start-up. */
    public Optional<String> problem(String program) {
        if (program.isBlank()) {
            return Optional.of("command: names no program");
        }
        if (program.contains("/") && !program.startsWith("/") && pipelineFolder.isEmpty()) {
            return Optional.of("'" + program + "' is a relative path, which is relative to the pipeline file's folder,"
                    + " but no pipeline file is configured (jobpipe.pipelines.file); use an absolute path");
        }
        try {
            Path.of(program);
        } catch (InvalidPathException e) {
            return Optional.of("'" + program + "' is not a valid path: " + e.getReason());
        }
        return Optional.empty();
    }

    private Path byPath(String program) {
        problem(program).ifPresent(p -> {
            throw notFound(p);
        });
        Path given = Path.of(program);
        return given.isAbsolute() ? given.normalize() : pipelineFolder.orElseThrow().resolve(given).normalize();
    }

    private static Path onPath(String program, String path, Optional<Path> pipelineFolder) {
        if (program.isBlank()) {
            throw notFound("command: names no program");
        }
        for (String entry : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (entry.isEmpty() || !entry.startsWith("/")) {
                continue;
            }
            Path candidate = Path.of(entry, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        boolean besideThePipeline = pipelineFolder.map(folder -> Files.exists(folder.resolve(program))).orElse(false);
        throw notFound("no executable '" + program + "' in PATH " + path + " (a bare name is looked up there; "
                + (besideThePipeline ? "for the file beside the pipeline file write ./" + program
                : "give a path relative to the pipeline file's folder, or an absolute one") + ")");
    }

    private String describeRule(String program) {
        return program.startsWith("/") ? "" : " (a relative program path is relative to the pipeline file's folder, "
                + pipelineFolder.map(Path::toString).orElse("none") + ")";
    }

    private static AgentException notFound(String message) {
        return AgentException.permanent(NOT_FOUND, message);
    }
}
