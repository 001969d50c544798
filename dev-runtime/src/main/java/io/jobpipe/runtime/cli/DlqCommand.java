package io.jobpipe.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./jobpipe dlq list|show|replay}: the dead letters, through the status service's ops API. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Dead-lettered jobs: list them, show one, replay one, some or a filtered set.",
                "Uses the status service's ops API with a bearer token: --token, else $" + OpsToken.ENV
                        + ", else the dev operate token when the status URL is a loopback address.",
                "Exit codes: 0 ok, 1 the status service said no or cannot be reached, 2 usage."},
        subcommands = {DlqListCommand.class, DlqShowCommand.class, DlqReplayCommand.class})
final class DlqCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
