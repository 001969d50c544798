package io.jobpipe.runtime.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the real {@code jobpipe} command line in-process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

    /** With an empty environment: no {@code JOBPIPE_OPS_TOKEN} from the machine running the tests. */
    static CliRun of(String... args) {
        return withEnvironment(Map.of(), args);
    }

    static CliRun withEnvironment(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = JobpipeCli.commandLine(new JobpipeCli(environment::get));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
