package io.jobpipe.runtime.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the lines a log file gets from now on, by byte offset: a log appended to run after run grows past any
 * number of lines a tail would keep, and a count of lines then says nothing of which are new. A line is given once
 * it is complete (ends with a newline); {@link #rest} gives a last one without.
 */
final class LogFollower {
    private final Path file;
    private long offset;
    private byte[] partial = new byte[0];

    /** Follows {@code file} from its present end (from its start when it does not exist yet). */
    LogFollower(Path file) {
        this.file = file;
        try {
            this.offset = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The complete lines written since the last call. */
    List<String> newLines() {
        byte[] read = readFromOffset();
        byte[] bytes = new byte[partial.length + read.length];
        System.arraycopy(partial, 0, bytes, 0, partial.length);
        System.arraycopy(read, 0, bytes, partial.length, read.length);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        partial = Arrays.copyOfRange(bytes, start, bytes.length);
        return lines;
    }

    /** What is left after the last complete line (a process that died mid-line), or empty. */
    List<String> rest() {
        List<String> lines = newLines();
        if (partial.length > 0) {
            lines.add(new String(partial, StandardCharsets.UTF_8));
            partial = new byte[0];
        }
        return lines;
    }

    private byte[] readFromOffset() {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            if (channel.size() < offset) {
                offset = 0; // truncated or replaced: its new content is all new
            }
            channel.position(offset);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, channel.size() - offset));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // reads until the size seen above
            }
            offset += buffer.position();
            return Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
