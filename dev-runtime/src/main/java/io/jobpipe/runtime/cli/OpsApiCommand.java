package io.jobpipe.runtime.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
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

    /** One ops call about one job. */
    interface JobCall {
        void call(OpsApi api, String jobId) throws OpsFailure, InterruptedException;
    }

    /**
     * One call per job: a job the service refuses is reported and the others still go, except when the token is
     * refused (every call would be). Exit code 1 when any was refused.
     *
     * @param bulkOptionsGiven whether options that only make sense without job ids were given too (a usage error)
     */
    int forEachJob(List<String> jobIds, boolean bulkOptionsGiven, String verb, JobCall call)
            throws OpsFailure, InterruptedException {
        if (bulkOptionsGiven) {
            throw OpsFailure.usage("give JOB ids or filter options (a bulk " + verb + "), not both");
        }
        OpsApi api = target.api();
        int refused = 0;
        for (String jobId : jobIds) {
            try {
                call.call(api, jobId);
            } catch (OpsFailure e) {
                if (e.tokenRejected()) {
                    throw e;
                }
                spec.commandLine().getOut().flush();
                err().println(e.getMessage());
                refused++;
            }
        }
        if (refused > 0 && jobIds.size() > 1) {
            err().println(refused + " of " + jobIds.size() + " jobs refused");
        }
        return refused == 0 ? 0 : OpsFailure.REFUSED;
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
