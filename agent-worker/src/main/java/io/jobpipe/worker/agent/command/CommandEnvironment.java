package io.jobpipe.worker.agent.command;

import io.jobpipe.agent.AgentCall;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The environment of a command: an allow-list, never the worker's whole environment (which holds Kafka and
 * database credentials, webhook secrets). A program sees only:
 * <ul>
 *   <li>{@code PATH}, {@code HOME}, {@code LANG}, {@code LC_ALL}, {@code TZ} from the worker, when set
 *       ({@code PATH} defaults to {@value #DEFAULT_PATH}, {@code LANG} to {@code C.UTF-8});</li>
 *   <li>{@code TMPDIR}: {@code tmp} inside the attempt's folder, so temporary files go when it goes;</li>
 *   <li>{@code JOBPIPE_JOB_ID}, {@code JOBPIPE_PIPELINE}, {@code JOBPIPE_STAGE}, {@code JOBPIPE_ATTEMPT},
 *       {@code JOBPIPE_IDEMPOTENCY_KEY}, {@code JOBPIPE_DEADLINE} (ISO-8601) and {@code TRACEPARENT} (when the
 *       attempt is traced), so a script need not parse its input to know them;</li>
 *   <li>the worker's value of every name its stage lists in {@code env} (a name the worker does not have is left
 *       out); listing a basic such as {@code HOME} passes the worker's value explicitly.</li>
 * </ul>
 */
public final class CommandEnvironment {
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final List<String> BASICS = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ");

    private CommandEnvironment() {
    }

    /**
     * @param worker  the worker's environment ({@code System::getenv} in production)
     * @param listed  the names the stage's {@code env} setting lists
     * @param tmpDir  the attempt's temporary folder
     */
    public static Map<String, String> of(UnaryOperator<String> worker, List<String> listed, AgentCall call,
                                         Path tmpDir) {
        Map<String, String> env = new TreeMap<>();
        for (String name : BASICS) {
            putIfSet(env, name, worker.apply(name));
        }
        env.put("PATH", pathOf(worker));
        env.putIfAbsent("LANG", "C.UTF-8");
        env.put("TMPDIR", tmpDir.toString());
        env.put("JOBPIPE_JOB_ID", call.jobId());
        putIfSet(env, "JOBPIPE_PIPELINE", call.pipeline());
        env.put("JOBPIPE_STAGE", call.stage());
        env.put("JOBPIPE_ATTEMPT", Integer.toString(call.attempt()));
        putIfSet(env, "JOBPIPE_IDEMPOTENCY_KEY", call.idempotencyKey());
        if (call.deadline() != null) {
            env.put("JOBPIPE_DEADLINE", call.deadline().toString());
        }
        call.traceparent().ifPresent(traceparent -> env.put("TRACEPARENT", traceparent));
        for (String name : listed) {
            putIfSet(env, name, worker.apply(name));
        }
        return env;
    }

    /** The PATH a program gets, and where a bare program name is looked up: the worker's, or the default. */
    public static String pathOf(UnaryOperator<String> worker) {
        String path = worker.apply("PATH");
        return path == null || path.isBlank() ? DEFAULT_PATH : path;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }
}
