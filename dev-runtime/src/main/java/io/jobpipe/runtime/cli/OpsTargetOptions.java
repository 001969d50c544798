package io.jobpipe.runtime.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.function.Function;

/** The status service an ops command talks to, and the token it shows ({@link OpsToken} says which). */
final class OpsTargetOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--status-url", defaultValue = "${env:JOBPIPE_STATUS_URL:-http://localhost:8081}",
            description = "status base URL (default: ${DEFAULT-VALUE})")
    String statusUrl;

    @Option(names = "--token", description = "ops API bearer token (default: $" + OpsToken.ENV + ", else "
            + OpsToken.DEV_OPERATE + " when the status URL is a loopback address)")
    String token;

    OpsApi api() throws OpsFailure {
        return api(mixee, token, statusUrl);
    }

    /** The ops API at {@code statusUrl} with {@code token}, else the one {@link OpsToken} picks for the command. */
    static OpsApi api(CommandSpec command, String token, String statusUrl) throws OpsFailure {
        Object root = command.root().userObject();
        Function<String, String> environment =
                root instanceof JobpipeCli cli ? cli.environment() : System::getenv;
        OpsToken resolved = OpsToken.resolve(token, environment, statusUrl).orElseThrow(() -> OpsFailure.usage(
                "no ops token for " + statusUrl + " (the dev token is only used for a loopback status URL). "
                        + OpsApi.howToPass()));
        return new OpsApi(statusUrl, resolved);
    }
}
