package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.signature.GitHubScheme;
import io.jobpipe.ingest.signature.HmacScheme;
import io.jobpipe.ingest.signature.Secrets;
import io.jobpipe.ingest.signature.SignatureScheme;
import io.jobpipe.ingest.signature.SlackScheme;
import io.jobpipe.ingest.signature.StandardWebhooksScheme;
import io.jobpipe.ingest.signature.StripeScheme;
import io.jobpipe.ingest.signature.UnsignedScheme;

import java.time.Clock;
import java.util.List;

/** Builds each connection's scheme from its settings; a setting that cannot work stops the service at start-up. */
final class SignatureSchemes {
    static final List<String> IDS = List.of(GitHubScheme.ID, SlackScheme.ID, StripeScheme.ID,
            StandardWebhooksScheme.ID, HmacScheme.ID, UnsignedScheme.ID);

    private SignatureSchemes() {
    }

    /**
     * @param unsignedAllowed whether scheme {@code none} may be used: only in the dev profile, because anyone who
     *                        reaches an unsigned connection can start jobs that write files and send notifications
     */
    static SignatureScheme create(ConnectionProperties c, boolean unsignedAllowed, Clock clock) {
        String where = "jobpipe.ingest.connections." + c.name();
        try {
            return switch (c.scheme()) {
                case GitHubScheme.ID -> new GitHubScheme(Secrets.utf8(c.secrets()));
                case SlackScheme.ID -> new SlackScheme(Secrets.utf8(c.secrets()), c.tolerance(), clock);
                case StripeScheme.ID -> new StripeScheme(Secrets.utf8(c.secrets()), c.tolerance(), clock);
                case StandardWebhooksScheme.ID -> new StandardWebhooksScheme(c.secrets(), c.tolerance(), clock);
                case HmacScheme.ID -> new HmacScheme(Secrets.utf8(c.secrets()), c.signatureHeader(),
                        HmacScheme.Encoding.of(c.signatureEncoding()), c.signaturePrefix());
                case UnsignedScheme.ID -> {
                    if (!unsignedAllowed) {
                        throw new IllegalStateException(where + ".scheme is 'none' (unsigned), which only the dev "
                                + "profile allows: anyone reaching it could start jobs. Give it a signing scheme.");
                    }
                    yield new UnsignedScheme();
                }
                default -> throw new IllegalStateException(where + ".scheme is '" + c.scheme() + "'; known schemes: "
                        + IDS);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " (scheme " + c.scheme() + ") " + e.getMessage(), e);
        }
    }
}
