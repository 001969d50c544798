package io.jobpipe.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./jobpipe}: run jobpipe locally, send and follow webhooks, operate and benchmark it. */
@Command(name = "jobpipe", mixinStandardHelpOptions = true, version = "jobpipe 0.1.0",
        description = "Webhooks in, reliable multi-stage jobs on Kafka, status out.",
        subcommands = {
                UpCommand.class,
                SendCommand.class,
                WatchCommand.class,
                JobsCommand.class,
                BenchCommand.class,
                ChaosCommand.class,
                CommandLine.HelpCommand.class
        })
public final class JobpipeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new JobpipeCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
