package io.jobpipe.runtime.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bearer token of the status service's ops API and where it came from: {@code --token}, else
 * {@code JOBPIPE_OPS_TOKEN}, else — only for a status URL on this machine — the dev operate token that
 * {@code ./jobpipe up} starts status with. Messages name the source, never the value.
 */
record OpsToken(String value, String source) {
    static final String ENV = "JOBPIPE_OPS_TOKEN";
    static final String DEV_READ = "dev-read-token";
    static final String DEV_OPERATE = "dev-operate-token";
    static final String DEV_SOURCE = "the dev operate token (the default for a loopback status URL)";

    /** Empty when no token is given and the status URL is not a loopback address. */
    static Optional<OpsToken> resolve(String option, Function<String, String> environment, String statusUrl) {
        if (option != null && !option.isBlank()) {
            return Optional.of(new OpsToken(option, "--token"));
        }
        String fromEnv = environment.apply(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(new OpsToken(fromEnv, ENV));
        }
        return isLoopback(statusUrl) ? Optional.of(new OpsToken(DEV_OPERATE, DEV_SOURCE)) : Optional.empty();
    }

    boolean isDevDefault() {
        return DEV_SOURCE.equals(source);
    }

    /** {@code the token from --token}, {@code the token from JOBPIPE_OPS_TOKEN} or the dev default. */
    String describe() {
        return isDevDefault() ? source : "the token from " + source;
    }

    @Override
    public String toString() {
        return "OpsToken[" + describe() + "]";
    }

    /** Whether every address of the URL's host is a loopback one (an unresolvable host is not). */
    static boolean isLoopback(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host.replace("[", "").replace("]", ""));
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
