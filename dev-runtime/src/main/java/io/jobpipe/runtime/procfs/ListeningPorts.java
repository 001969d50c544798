package io.jobpipe.runtime.procfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which process listens on a TCP port, from {@code /proc/net/tcp{,6}} (the socket's inode, state LISTEN) and the
 * {@code socket:[inode]} links under {@code /proc/<pid>/fd}. Only processes of this user can be seen, which is
 * what {@code ./jobpipe up} starts.
 */
public final class ListeningPorts {
    private static final String LISTEN = "0A";

    private ListeningPorts() {
    }

    public static OptionalLong pidListeningOn(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
            inodes.addAll(listeningInodes(Path.of(table), port));
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                if (holdsAny(dir.resolve("fd"), inodes)) {
                    return OptionalLong.of(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static Set<String> listeningInodes(Path table, int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(":%04X", port);
        try {
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
                if (f.length > 9 && f[1].endsWith(hexPort) && LISTEN.equals(f[3])) {
                    inodes.add("socket:[" + f[9] + "]");
                }
            }
        } catch (IOException e) {
            // no such table (no IPv6): nothing listens there
        }
        return inodes;
    }

    private static boolean holdsAny(Path fdDir, Set<String> sockets) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or gone
        }
        return false;
    }
}
