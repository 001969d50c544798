package io.jobpipe.runtime.procfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's command line from {@code /proc/<pid>/cmdline} (arguments joined by spaces), empty when unreadable. */
public final class CommandLines {
    private CommandLines() {
    }

    public static String of(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }
}
