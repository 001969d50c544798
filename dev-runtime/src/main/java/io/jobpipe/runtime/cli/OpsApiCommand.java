package io.jobpipe.runtime.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that talks to the status service's ops API: {@link #run} does the work, and an {@link OpsFailure}
 * becomes its message on stderr and its exit code (1 the service said no, 2 usage).
 */
abstract class OpsApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OpsTargetOptions target;

    abstract int run(PrintWriter out) throws OpsFailure, InterruptedException;

    @Override
    public final Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            int code = run(out);
            out.flush();
            return code;
        } catch (OpsFailure e) {
            out.flush();
            spec.commandLine().getErr().println(e.getMessage());
            return e.exitCode();
        }
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
