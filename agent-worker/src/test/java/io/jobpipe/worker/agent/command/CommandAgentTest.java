package io.jobpipe.worker.agent.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.worker.agent.StageCall;
import io.jobpipe.worker.agent.StageInputDocument;
import io.jobpipe.worker.agent.TestRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The command agent against real processes: small {@code sh} scripts written for each test. */
@Timeout(60)
class CommandAgentTest {
    private static final String JOB = "job_cmdTest42";
    private static final String STAGE = "parse";

    @TempDir
    Path pipelines;
    @TempDir
    Path workspace;

    private final Map<String, String> workerEnv = Map.of("PATH", System.getenv("PATH"), "HOME", "/home/worker",
            "LISTED", "yes", "SECRET", "do-not-leak");
    private CommandAgents commands() {
        return new CommandAgents(workspace, Optional.of(pipelines), workerEnv::get);
    }

    private Path script(String relative, String body) throws IOException {
        Path file = pipelines.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static StageCall call(String program, String settingsJson, Duration timeout) {
        AgentSpec spec = AgentSpec.parse("command:" + program, settings(settingsJson));
        StageRequested request = TestRequests.request(JOB, STAGE, spec, "github", "pull_request",
                json("{\"title\": \"Fix it\"}"), (com.fasterxml.jackson.databind.node.ObjectNode)
                        json("{\"validate\": {\"valid\": true}}"));
        return new StageCall(request, Instant.now().plus(timeout), StageCall.Hooks.NONE);
    }

    private AgentOutcome run(StageCall call) {
        return commands().agentFor(call.request().agent()).run(call);
    }

    private static AgentOutcome.Failure failure(AgentOutcome outcome) {
        assertThat(outcome).isInstanceOf(AgentOutcome.Failure.class);
        return (AgentOutcome.Failure) outcome;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean allGone(List<Long> pids) {
        return pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static List<Long> pids(Path pidFile) {
        return Arrays.stream(read(pidFile).trim().split("\\s+")).map(Long::parseLong).toList();
    }

    @Test
    void shouldGiveTheStageInputOnStdinAndTakeTheJsonOnStdoutAsTheOutput() {
        StageCall call = call("cat", "{}", Duration.ofSeconds(20));

        AgentOutcome outcome = run(call);

        JsonNode expected = StageInputDocument.of(call);
        assertThat(outcome).isEqualTo(AgentOutcome.success(expected,
                "command cat exited 0 (" + expected.toString().length() + " bytes of output)"));
        assertThat(expected.path("jobId").asText()).isEqualTo(JOB);
        assertThat(expected.path("idempotencyKey").asText()).isEqualTo(JOB + ":" + STAGE);
        assertThat(expected.path("payload").path("title").asText()).isEqualTo("Fix it");
        assertThat(expected.path("outputs").path("validate").path("valid").asBoolean()).isTrue();
    }

    @Test
    void shouldRunARelativeProgramInAFreshFolderOfItsAttemptAndDeleteItAfterwards() throws IOException {
        script("bin/where.sh", """
                cat > /dev/null
                printf '{"cwd": "%s", "tmp": "%s", "files": "%s", "args": "%s"}' "$(pwd -P)" "$TMPDIR" "$(ls -A | tr '\\n' ' ')" "$*"
                """);
        Path attemptFolder = workspace.resolve("commands").resolve(JOB).resolve(STAGE).resolve("1");
        Files.createDirectories(attemptFolder);
        Files.writeString(attemptFolder.resolve("left-by-an-earlier-delivery.txt"), "old");
        Path realFolder = attemptFolder.toRealPath();

        AgentOutcome outcome = run(call("bin/where.sh", "{\"args\": [\"a b\", \"$HOME\"]}", Duration.ofSeconds(20)));

        JsonNode output = ((AgentOutcome.Success) outcome).output();
        assertThat(output.path("cwd").asText()).isEqualTo(realFolder.toString());
        assertThat(output.path("tmp").asText()).isEqualTo(attemptFolder.resolve("tmp").toString());
        assertThat(output.path("files").asText()).as("a fresh folder: only its tmp").isEqualTo("tmp ");
        assertThat(output.path("args").asText()).as("argv as given, no shell expansion").isEqualTo("a b $HOME");
        assertThat(attemptFolder).doesNotExist();
        assertThat(workspace.resolve("commands").resolve(JOB)).as("no empty folders are left per job").doesNotExist();
    }

    @Test
    void shouldKeepTheFolderOfAFailedAttemptWhenAsked() throws IOException {
        script("fail.sh", "echo 'half done' > notes.txt\nexit 70\n");

        AgentOutcome outcome = run(call("./fail.sh", "{\"keepWorkdir\": \"on-failure\"}", Duration.ofSeconds(20)));

        assertThat(failure(outcome).retryable()).isTrue();
        assertThat(workspace.resolve("commands").resolve(JOB).resolve(STAGE).resolve("1").resolve("notes.txt"))
                .hasContent("half done");
    }

    @Test
    void shouldFailNonRetryablyWhenStdoutIsNoJsonAfterExitZero() throws IOException {
        script("chatty.sh", "echo 'all good!'\n");

        AgentOutcome.Failure failure = failure(run(call("./chatty.sh", "{}", Duration.ofSeconds(20))));

        assertThat(failure.errorType()).isEqualTo(CommandOutcomes.INVALID_OUTPUT);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).startsWith("command ./chatty.sh exited 0 but its stdout (10 bytes) is not one JSON");
    }

    @Test
    void shouldClassifyNonZeroExitsByTheConvention() throws IOException {
        script("exit.sh", "echo \"failing with $1\" >&2\nexit \"$1\"\n");

        AgentOutcome.Failure tempFail = failure(run(call("./exit.sh", "{\"args\": [75]}", Duration.ofSeconds(20))));
        AgentOutcome.Failure dataErr = failure(run(call("./exit.sh", "{\"args\": [65]}", Duration.ofSeconds(20))));
        AgentOutcome.Failure crash = failure(run(call("./exit.sh", "{\"args\": [1]}", Duration.ofSeconds(20))));

        assertThat(tempFail).isEqualTo(AgentOutcome.failure(CommandOutcomes.FAILED, "command ./exit.sh exited with 75"
                + " (EX_TEMPFAIL: temporary failure, try again); its last stderr line: failing with 75", true));
        assertThat(dataErr.retryable()).isFalse();
        assertThat(dataErr.message()).contains("65 (EX_DATAERR");
        assertThat(crash.retryable()).isTrue();
    }

    @Test
    void shouldTakeTheErrorDocumentAProgramPrintsWhenItFails() throws IOException {
        script("busy.sh", """
                echo '{"errorType": "ParserBusy", "message": "the queue is full", "retryAfterSeconds": 7}'
                exit 75
                """);

        assertThat(run(call("./busy.sh", "{}", Duration.ofSeconds(20))))
                .isEqualTo(AgentOutcome.retryAfter("ParserBusy", "the queue is full", Duration.ofSeconds(7)));
    }

    @Test
    void shouldKeepStderrLineByLineAsTheAttemptsLog() throws IOException {
        script("logs.sh", """
                echo "reading page 1" >&2
                printf 'reading page 2\\r\\n' >&2
                echo '{"pages": 2}'
                printf 'done, no newline' >&2
                """);
        StageCall call = call("./logs.sh", "{}", Duration.ofSeconds(20));

        AgentOutcome outcome = run(call);

        assertThat(outcome).isInstanceOf(AgentOutcome.Success.class);
        assertThat(call.logText()).isEqualTo("reading page 1\nreading page 2\ndone, no newline\n");
    }

    @Test
    void shouldKillTheWholeProcessTreeAtTheDeadline() throws IOException {
        Path pidFile = pipelines.resolve("pids");
        script("hang.sh", """
                echo "starting" >&2
                sleep 300 &
                echo "$$ $!" > "$1"
                wait
                """);
        StageCall call = call("./hang.sh", "{\"args\": [\"" + pidFile + "\"]}", Duration.ofMillis(1500));
        long started = System.nanoTime();

        AgentOutcome.Failure failure = failure(run(call));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(failure.errorType()).isEqualTo(CommandAgent.TIMEOUT);
        assertThat(failure.retryable()).isTrue();
        List<Long> pids = pids(pidFile);
        assertThat(pids).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> allGone(pids));
        assertThat(call.logText()).isEqualTo("starting\n[jobpipe] the stage timeout passed: killed the program's 2"
                + " process(es)\n");
        assertThat(workspace.resolve("commands").resolve(JOB)).doesNotExist();
    }

    @Test
    void shouldKillATreeThatIgnoresSigtermAfterTheGrace() throws IOException {
        Path pidFile = pipelines.resolve("pids");
        script("stubborn.sh", """
                trap '' TERM
                sh -c 'trap "" TERM; sleep 300' &
                echo "$$ $!" > "$1"
                while true; do sleep 1; done
                """);
        long started = System.nanoTime();

        AgentOutcome.Failure failure = failure(run(call("./stubborn.sh",
                "{\"args\": [\"" + pidFile + "\"], \"killGrace\": \"300ms\"}", Duration.ofMillis(1000))));

        assertThat(failure.errorType()).isEqualTo(CommandAgent.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        List<Long> pids = pids(pidFile);
        await().atMost(Duration.ofSeconds(5)).until(() -> allGone(pids));
    }

    @Test
    void shouldKillTheWholeProcessTreeWhenItsThreadIsInterrupted() throws Exception {
        Path pidFile = pipelines.resolve("pids");
        script("hang.sh", "sleep 300 &\necho \"$$ $!\" > \"$1\"\nwait\n");
        StageCall call = call("./hang.sh", "{\"args\": [\"" + pidFile + "\"]}", Duration.ofSeconds(60));
        AtomicReference<AgentOutcome> outcome = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread agentThread = new Thread(() -> {
            outcome.set(run(call));
            interruptKept.set(Thread.currentThread().isInterrupted());
        }, "agent");
        agentThread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && pids(pidFile).size() == 2);
        List<Long> pids = pids(pidFile);

        agentThread.interrupt();
        agentThread.join(10_000);

        assertThat(agentThread.isAlive()).isFalse();
        assertThat(failure(outcome.get()).errorType()).isEqualTo(CommandAgent.INTERRUPTED);
        assertThat(interruptKept.get()).as("the interrupt stays set for the caller").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> allGone(pids));
    }

    @Test
    void shouldKillAProcessTheProgramLeftRunning() throws IOException {
        Path pidFile = pipelines.resolve("pids");
        // The child keeps no pipe open, so only the agent's tracking finds it after its parent exits.
        script("leaver.sh", """
                sleep 300 > /dev/null 2>&1 < /dev/null &
                echo "$!" > "$1"
                sleep 1
                echo '{}'
                """);
        StageCall call = call("./leaver.sh", "{\"args\": [\"" + pidFile + "\"]}", Duration.ofSeconds(20));

        AgentOutcome outcome = run(call);

        assertThat(outcome).isInstanceOf(AgentOutcome.Success.class);
        List<Long> pids = pids(pidFile);
        await().atMost(Duration.ofSeconds(5)).until(() -> allGone(pids));
        assertThat(call.logText()).contains("[jobpipe] the program exited leaving 1 process(es) running; they were killed");
    }

    @Test
    void shouldKillAProgramThatWritesMoreThanItsCap() throws IOException {
        script("flood.sh", "while true; do echo 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'; done\n");
        script("noise.sh", "while true; do echo 'noise noise noise noise noise' >&2; done\n");
        long started = System.nanoTime();

        AgentOutcome.Failure stdout = failure(run(call("./flood.sh", "{\"maxOutputBytes\": 1000}", Duration.ofSeconds(30))));
        AgentOutcome.Failure stderr = failure(run(call("./noise.sh", "{\"maxLogBytes\": 2000}", Duration.ofSeconds(30))));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("killed at the cap, not at the deadline")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(stdout).isEqualTo(AgentOutcome.failure(CommandAgent.OUTPUT_TOO_LARGE, "command ./flood.sh wrote more"
                + " than 1000 bytes on stdout (the stage's maxOutputBytes); it was killed", false));
        assertThat(stderr.message()).contains("more than 2000 bytes on stderr (the stage's maxLogBytes)");
    }

    @Test
    void shouldShowTheProgramOnlyTheAllowListedEnvironment() throws IOException {
        script("env.sh", "env >&2\necho '{}'\n");
        StageCall call = call("./env.sh", "{\"env\": [\"LISTED\", \"NOT_SET_ANYWHERE\"]}", Duration.ofSeconds(20));

        run(call);

        Map<String, String> seen = call.logText().lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b));
        assertThat(seen).containsEntry("LISTED", "yes").containsEntry("HOME", "/home/worker")
                .containsEntry("PATH", System.getenv("PATH")).containsEntry("LANG", "C.UTF-8")
                .containsEntry("JOBPIPE_JOB_ID", JOB).containsEntry("JOBPIPE_STAGE", STAGE)
                .containsEntry("JOBPIPE_ATTEMPT", "1").containsEntry("JOBPIPE_IDEMPOTENCY_KEY", JOB + ":" + STAGE)
                .doesNotContainKeys("SECRET", "NOT_SET_ANYWHERE");
        Set<String> shellOwn = Set.of("PWD", "SHLVL", "_", "OLDPWD");
        assertThat(new TreeSet<>(seen.keySet())).allMatch(name -> shellOwn.contains(name) || Set.of("LISTED", "HOME",
                "PATH", "LANG", "TMPDIR", "JOBPIPE_JOB_ID", "JOBPIPE_PIPELINE", "JOBPIPE_STAGE", "JOBPIPE_ATTEMPT",
                "JOBPIPE_IDEMPOTENCY_KEY", "JOBPIPE_DEADLINE").contains(name));
    }

    @Test
    void shouldFailNonRetryablyWhenTheProgramOrItsSettingsAreWrong() throws IOException {
        AgentOutcome.Failure badSettings = failure(run(call("cat", "{\"maxOutputBytes\": -1}", Duration.ofSeconds(5))));

        assertThatThrownBy(() -> run(call("no-such-program-anywhere", "{}", Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.errorType()).isEqualTo(ProgramLocator.NOT_FOUND);
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(workspace.resolve("commands").resolve(JOB)).doesNotExist();
        assertThat(badSettings).isEqualTo(AgentOutcome.failure(CommandAgents.INVALID_SETTINGS, "the settings of "
                + "command:cat are wrong: maxOutputBytes must be a number of bytes from 1 to 16777216, got -1", false));
    }

    @Test
    void shouldRefuseAtStartUpACatalogWhoseCommandSettingsAreWrong() {
        var catalog = PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages:
                      - name: parse
                        agent: command:./parse.sh
                        settings: {arg: [x]}
                      - name: store
                        agent: command:/usr/bin/env
                """);

        assertThatThrownBy(() -> commands().check(catalog))
                .hasMessageContaining("pipeline 'default' stage 'parse' (command:./parse.sh): unknown setting 'arg'");
        assertThatThrownBy(() -> new CommandAgents(workspace, Optional.empty(), workerEnv::get).check(catalog))
                .hasMessageContaining("'./parse.sh' is a relative path");
    }
}
