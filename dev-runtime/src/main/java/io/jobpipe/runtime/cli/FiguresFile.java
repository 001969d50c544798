package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --json FILE} of {@code bench}, {@code bench ingest} and {@code chaos}: every figure, pretty-printed. */
final class FiguresFile {
    private FiguresFile() {
    }

    /**
     * The end of a benchmark command: prints {@code rendered}, writes {@code figures} to {@code file} (if any), and
     * gives the exit code: 0 passed, 1 not passed, 2 the file could not be written.
     */
    static int finish(String rendered, Object figures, boolean passed, Path file, PrintWriter out, PrintWriter err) {
        out.print(rendered);
        out.flush();
        if (!write(file, figures, out, err)) {
            return 2;
        }
        out.flush();
        return passed ? 0 : 1;
    }

    /**
     * Writes {@code figures} to {@code file}, creating its folder; a null file writes nothing.
     *
     * @return false, after saying why on {@code err}, when the file cannot be written
     */
    static boolean write(Path file, Object figures, PrintWriter out, PrintWriter err) {
        if (file == null) {
            return true;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), figures);
            out.println("figures written to " + file);
            return true;
        } catch (IOException e) {
            err.println("cannot write " + file + ": " + e.getMessage());
            return false;
        }
    }
}
