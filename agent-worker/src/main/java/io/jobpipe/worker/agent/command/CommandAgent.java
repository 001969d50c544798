package io.jobpipe.worker.agent.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.Json;
import io.jobpipe.worker.agent.StageInputDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs a stage as a program ({@code agent: command:<program>}): its argv directly, never through a shell; the
 * stage's input document ({@link StageInputDocument}) on stdin; its stdout, one JSON document, is the output
 * ({@link CommandOutcomes} reads it and the exit status); each stderr line goes to the attempt's log, which travels
 * with the result to the job's page.
 * <ul>
 *   <li>It runs in a fresh folder of its own ({@link AttemptFolders}) with an allow-listed environment
 *       ({@link CommandEnvironment}).</li>
 *   <li>At the attempt's deadline, or when the worker interrupts the agent's thread (the stage timeout), the whole
 *       process tree is killed: SIGTERM, then SIGKILL after {@code killGrace} ({@link ProcessTree}). So is a program
 *       that writes more than its caps on stdout or stderr, and any process the program leaves running when it
 *       exits.</li>
 *   <li>The agent's thread only waits; three daemon threads per run feed stdin and drain stdout and stderr.</li>
 * </ul>
 */
public final class CommandAgent implements Agent {
    /** The same errorType the worker gives an agent it stops at the stage timeout. */
    public static final String TIMEOUT = "StageTimeout";
    public static final String INTERRUPTED = "CommandInterrupted";
    public static final String OUTPUT_TOO_LARGE = "CommandOutputTooLarge";
    public static final String NOT_STARTABLE = "CommandNotStartable";
    public static final String WORKSPACE_ERROR = "WorkspaceIOError";
    /** How often the process tree is looked at while the program runs (one scan of the process table each time). */
    static final long TRACK_INTERVAL_MS = 250;
    /** How long the pipes may stay open after the program exited: what it wrote is in them already. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(CommandAgent.class);

    private enum Ending { EXITED, OVERFLOW, DEADLINE }

    private final String program;
    private final CommandSettings settings;
    private final ProgramLocator locator;
    private final AttemptFolders folders;
    private final UnaryOperator<String> workerEnvironment;

    public CommandAgent(String program, CommandSettings settings, ProgramLocator locator, AttemptFolders folders,
                        UnaryOperator<String> workerEnvironment) {
        this.program = program;
        this.settings = settings;
        this.locator = locator;
        this.folders = folders;
        this.workerEnvironment = workerEnvironment;
    }

    @Override
    public AgentOutcome run(AgentCall call) {
        Path folder;
        try {
            folder = folders.createFresh(call.jobId(), call.stage(), call.attempt());
        } catch (IOException e) {
            throw AgentException.transientFailure(WORKSPACE_ERROR, "cannot create the working folder of command "
                    + program + " under " + folders.folderOf(call.jobId(), call.stage(), call.attempt()) + ": " + e, e);
        }
        AgentOutcome outcome = null;
        try {
            outcome = runIn(folder, call);
            return outcome;
        } finally {
            cleanUp(folder, outcome instanceof AgentOutcome.Success, call);
        }
    }

    private AgentOutcome runIn(Path folder, AgentCall call) {
        Map<String, String> environment = CommandEnvironment.of(workerEnvironment, settings.env(), call,
                folder.resolve("tmp"));
        Path executable = locator.locate(program, environment.get("PATH"));
        List<String> argv = new ArrayList<>();
        argv.add(executable.toString());
        argv.addAll(settings.args());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(folder.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        byte[] input = inputOf(call);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return AgentOutcome.failure(NOT_STARTABLE, "cannot start " + executable + ": " + e.getMessage(), false);
        }
        return supervise(process, input, call);
    }

    private AgentOutcome supervise(Process process, byte[] input, AgentCall call) {
        ProcessTree tree = new ProcessTree(process);
        CompletableFuture<String> overflow = new CompletableFuture<>();
        String threads = "command " + call.jobId() + "/" + call.stage() + "#" + call.attempt();
        StreamPump.daemon(threads + " stdin", () -> feed(process.getOutputStream(), input));
        StreamPump.Bytes stdout = new StreamPump.Bytes();
        StreamPump.Lines stderr = new StreamPump.Lines(call::log);
        StreamPump out = StreamPump.start(threads + " stdout", process.getInputStream(), settings.maxOutputBytes(),
                stdout, () -> overflow.complete("stdout"));
        StreamPump err = StreamPump.start(threads + " stderr", process.getErrorStream(), settings.maxLogBytes(),
                stderr, () -> overflow.complete("stderr"));
        Ending ending;
        try {
            ending = await(process, tree, overflow, call.deadline());
        } catch (InterruptedException e) {
            int killed = tree.kill(settings.killGrace());
            drain(err.done());
            note(call, "the agent was interrupted (stage timeout or worker shutdown): killed the program's "
                    + killed + " process(es)");
            Thread.currentThread().interrupt();
            return AgentOutcome.failure(INTERRUPTED, "command " + program + " was interrupted and its process tree ("
                    + killed + " process(es)) killed", true);
        }
        if (ending == Ending.DEADLINE) {
            int killed = tree.kill(settings.killGrace());
            drain(err.done());
            note(call, "the stage timeout passed: killed the program's " + killed + " process(es)");
            return AgentOutcome.failure(TIMEOUT, "command " + program + " ran past its deadline " + call.deadline()
                    + "; its process tree (" + killed + " process(es)) was killed", true);
        }
        if (ending == Ending.EXITED) {
            int leftovers = tree.alive().size();
            if (leftovers > 0) {
                tree.kill(settings.killGrace());
                note(call, "the program exited leaving " + leftovers + " process(es) running; they were killed");
            }
            if (!drain(CompletableFuture.allOf(out.done(), err.done()))) {
                note(call, "stdout or stderr is still held open by a process the program left behind; its output"
                        + " is taken as it stands");
            }
        }
        if (out.overflowed() || err.overflowed()) {
            int killed = tree.kill(settings.killGrace());
            drain(err.done());
            String stream = out.overflowed() ? "stdout" : "stderr";
            long cap = out.overflowed() ? settings.maxOutputBytes() : settings.maxLogBytes();
            String setting = out.overflowed() ? "maxOutputBytes" : "maxLogBytes";
            note(call, "the program wrote more than " + cap + " bytes on " + stream + ": killed its " + killed
                    + " process(es)");
            return AgentOutcome.failure(OUTPUT_TOO_LARGE, "command " + program + " wrote more than " + cap
                    + " bytes on " + stream + " (the stage's " + setting + "); it was killed", false);
        }
        return CommandOutcomes.of("command " + program, process.exitValue(), stdout.toByteArray(), stderr.lastLine());
    }

    /** Waits for the program to exit, pass an output cap, or reach the deadline; remembers its processes meanwhile. */
    private static Ending await(Process process, ProcessTree tree, CompletableFuture<String> overflow, Instant deadline)
            throws InterruptedException {
        CompletableFuture<Object> exitOrOverflow = CompletableFuture.anyOf(process.onExit(), overflow);
        while (true) {
            tree.track();
            if (overflow.isDone()) {
                return Ending.OVERFLOW;
            }
            if (!process.isAlive()) {
                return Ending.EXITED;
            }
            long left = deadline == null ? TRACK_INTERVAL_MS : Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return Ending.DEADLINE;
            }
            try {
                exitOrOverflow.get(Math.min(left, TRACK_INTERVAL_MS), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // looked at again above
            }
        }
    }

    /** Waits a little for a pipe to reach its end, so the last lines are kept; true when it did. */
    private static boolean drain(CompletableFuture<?> pipes) {
        try {
            pipes.get(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    private static void feed(OutputStream stdin, byte[] input) {
        try (OutputStream pipe = stdin) {
            pipe.write(input);
        } catch (IOException e) {
            // The program closed stdin before reading all of it: its choice, not an error.
        }
    }

    private static byte[] inputOf(AgentCall call) {
        try {
            return Json.MAPPER.writeValueAsBytes(StageInputDocument.of(call));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the stage input cannot be written as JSON", e);
        }
    }

    /** A line of the worker's own in the attempt's log, told apart from the program's. */
    private static void note(AgentCall call, String line) {
        call.log("[jobpipe] " + line);
    }

    private void cleanUp(Path folder, boolean succeeded, AgentCall call) {
        boolean keep = switch (settings.keepWorkdir()) {
            case ALWAYS -> true;
            case ON_FAILURE -> !succeeded;
            case NEVER -> false;
        };
        if (keep) {
            return;
        }
        try {
            folders.delete(folder);
        } catch (IOException e) {
            LOG.warn("cannot delete the working folder {} of command {}: {}", folder, program, e.toString());
            note(call, "could not delete the working folder " + folder + ": " + e);
        }
    }
}
