package io.jobpipe.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.function.Function;

/** {@code ./jobpipe}: run jobpipe locally, send and follow webhooks, operate and benchmark it. */
@Command(name = "jobpipe", mixinStandardHelpOptions = true, version = "jobpipe 0.1.0",
        description = "Webhooks in, reliable multi-stage jobs on Kafka, status out.",
        subcommands = {
                UpCommand.class,
                WorkerCommand.class,
                SendCommand.class,
                WatchCommand.class,
                JobsCommand.class,
                DlqCommand.class,
                CancelCommand.class,
                BreakersCommand.class,
                BenchCommand.class,
                ChaosCommand.class,
                StatusCommand.class,
                CommandLine.HelpCommand.class
        })
public final class JobpipeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<String, String> environment;

    public JobpipeCli() {
        this(System::getenv);
    }

    /** Tests give their own environment (e.g. {@code JOBPIPE_OPS_TOKEN}) instead of the process's. */
    JobpipeCli(Function<String, String> environment) {
        this.environment = environment;
    }

    Function<String, String> environment() {
        return environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new JobpipeCli()).execute(args));
    }

    /** {@code @file} arguments are left as they are: {@code dlq replay --patch @patch.json} reads the file itself. */
    static CommandLine commandLine(JobpipeCli cli) {
        return new CommandLine(cli).setExpandAtFiles(false);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
