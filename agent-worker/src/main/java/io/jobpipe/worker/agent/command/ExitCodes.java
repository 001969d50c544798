package io.jobpipe.worker.agent.command;

import java.util.Map;
import java.util.Set;

/**
 * What a command's exit status means, after the BSD {@code sysexits.h} convention that many tools already follow:
 * <ul>
 *   <li>0: success; stdout holds the output.</li>
 *   <li>75 ({@code EX_TEMPFAIL}): try again later; retryable. The explicit way to ask for a retry.</li>
 *   <li>64–68, 77, 78 (usage, data, no input, no user, no host, no permission, configuration) and 126, 127 (a
 *       shell's "cannot execute" and "not found"): the same input would fail the same way; not retryable.</li>
 *   <li>Anything else (1 from an uncaught exception, 69–74 and 76, 128+N when killed by signal N such as the
 *       OOM killer's SIGKILL): retryable. A crash is more often a passing condition than a verdict on the
 *       input, and the stage's retry policy bounds the cost; a program that knows the input is bad says 65.</li>
 * </ul>
 */
public final class ExitCodes {
    public static final int EX_USAGE = 64;
    public static final int EX_DATAERR = 65;
    public static final int EX_TEMPFAIL = 75;

    private static final Set<Integer> PERMANENT = Set.of(64, 65, 66, 67, 68, 77, 78, 126, 127);
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(64, "EX_USAGE: the command was used incorrectly"),
            Map.entry(65, "EX_DATAERR: the input data was incorrect"),
            Map.entry(66, "EX_NOINPUT: an input file did not exist or was not readable"),
            Map.entry(67, "EX_NOUSER: addressee unknown"),
            Map.entry(68, "EX_NOHOST: host name unknown"),
            Map.entry(69, "EX_UNAVAILABLE: a service is unavailable"),
            Map.entry(70, "EX_SOFTWARE: internal software error"),
            Map.entry(71, "EX_OSERR: system error"),
            Map.entry(72, "EX_OSFILE: critical OS file missing"),
            Map.entry(73, "EX_CANTCREAT: cannot create an output file"),
            Map.entry(74, "EX_IOERR: input/output error"),
            Map.entry(75, "EX_TEMPFAIL: temporary failure, try again"),
            Map.entry(76, "EX_PROTOCOL: remote error in protocol"),
            Map.entry(77, "EX_NOPERM: permission denied"),
            Map.entry(78, "EX_CONFIG: configuration error"),
            Map.entry(126, "found but cannot be executed"),
            Map.entry(127, "command not found"));

    private ExitCodes() {
    }

    /** Whether a failure with this (non-zero) exit status may succeed when run again. */
    public static boolean retryable(int exitStatus) {
        return !PERMANENT.contains(exitStatus);
    }

    /** {@code "65 (EX_DATAERR: the input data was incorrect)"}, {@code "137 (killed by signal 9)"}, {@code "3"}. */
    public static String describe(int exitStatus) {
        String name = NAMES.get(exitStatus);
        if (name != null) {
            return exitStatus + " (" + name + ")";
        }
        if (exitStatus > 128 && exitStatus < 160) {
            return exitStatus + " (killed by signal " + (exitStatus - 128) + ")";
        }
        return Integer.toString(exitStatus);
    }
}
