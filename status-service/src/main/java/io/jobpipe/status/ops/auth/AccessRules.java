package io.jobpipe.status.ops.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Which requests need a token, and which role. Pure.
 * <ul>
 *   <li>{@code /ops/…}: always a token; {@code read} to look, {@code operate} to change anything.</li>
 *   <li>Listing, search, stats, exports and the firehose ({@code GET /jobs}, {@code /stats}, {@code /exports/…},
 *       {@code /events}) show every job, so they need a {@code read} token unless {@code listing} is
 *       {@link Rule#OPEN}.</li>
 *   <li>One job ({@code /jobs/{id}…}): open by default, since a job id is an HMAC of its delivery under a server
 *       secret, which nobody without the secret can compute; {@code jobById} {@link Rule#TOKEN} closes it too.</li>
 * </ul>
 * Anything else (health, metrics, the console's static files, {@code /openapi.yml}) needs none.
 */
public record AccessRules(Rule listing, Rule jobById) {
    public static final AccessRules DEFAULT = new AccessRules(Rule.TOKEN, Rule.OPEN);

    /** Whether a kind of request needs a token. */
    public enum Rule {
        TOKEN, OPEN;

        /** The rule named {@code text} ({@code token} or {@code open}), for {@code setting}'s error message. */
        public static Rule parse(String setting, String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(setting + " must be 'token' or 'open', not '" + text + "'");
            }
        }
    }

    /** The role a request to {@code path} with {@code method} needs, or empty when it needs no token. */
    public Optional<OpsRole> needed(String method, String path) {
        boolean reads = "GET".equals(method) || "HEAD".equals(method);
        if (path.equals("/ops") || path.startsWith("/ops/")) {
            return Optional.of(reads ? OpsRole.READ : OpsRole.OPERATE);
        }
        if (path.equals("/jobs") || path.equals("/jobs/") || under(path, "/stats") || under(path, "/exports")
                || under(path, "/events")) {
            return listing == Rule.TOKEN ? Optional.of(OpsRole.READ) : Optional.empty();
        }
        if (path.startsWith("/jobs/")) {
            return jobById == Rule.TOKEN ? Optional.of(OpsRole.READ) : Optional.empty();
        }
        return Optional.empty();
    }

    /** What a refused request was for, in a 401's detail. */
    public static String describe(String path) {
        return path.startsWith("/ops") ? "The ops API" : path.startsWith("/jobs/") ? "A job's status"
                : "Listing, searching, stats, exports and the event firehose";
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }
}
