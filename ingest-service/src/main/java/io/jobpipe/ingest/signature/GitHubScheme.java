package io.jobpipe.ingest.signature;

import io.jobpipe.ingest.request.HeaderLookup;
import io.jobpipe.ingest.request.SenderHeaders;

import java.util.List;
import java.util.Map;

/**
 * Scheme {@code github}: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>}. The event is
 * {@code X-GitHub-Event}, the delivery id {@code X-GitHub-Delivery} (the same on a redelivery). JSON and
 * form-encoded ({@code payload=<json>}) deliveries are both accepted; a {@code ping} is answered 200 and starts no job.
 */
public final class GitHubScheme implements SignatureScheme {
    public static final String ID = "github";
    public static final String SIGNATURE = "X-Hub-Signature-256";
    public static final String EVENT = "X-GitHub-Event";
    public static final String DELIVERY = "X-GitHub-Delivery";
    private static final String PREFIX = "sha256=";

    private final List<byte[]> secrets;

    public GitHubScheme(List<byte[]> secrets) {
        this.secrets = Secrets.required(secrets);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body) {
        String signature = headers.get(SIGNATURE);
        if (signature == null || signature.isBlank()) {
            return new Verdict.Refused("The " + SIGNATURE + " header is missing.");
        }
        signature = signature.strip();
        byte[] given = signature.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? Hmac.hexOrNull(signature.substring(PREFIX.length())) : null;
        if (given == null) {
            return new Verdict.Refused("The " + SIGNATURE + " header is not of the form sha256=<hex>.");
        }
        if (!Hmac.anyMatches(secrets, List.of(given), body)) {
            return new Verdict.Refused("The " + SIGNATURE + " signature does not match the body.");
        }
        String event = headers.get(EVENT);
        event = event == null || event.isBlank() ? SenderHeaders.DEFAULT_EVENT_TYPE : event.strip();
        if (event.equals("ping")) {
            return Verdict.Answer.json(200, "{\"ping\":\"pong\"}");
        }
        String delivery = headers.get(DELIVERY);
        return new Verdict.Authentic(delivery == null || delivery.isBlank() ? null : delivery.strip(), event,
                document(headers, body), null);
    }

    /** GitHub's form content type posts the JSON as the {@code payload} field. */
    private static byte[] document(HeaderLookup headers, byte[] body) {
        if (!FormBody.isForm(headers)) {
            return body;
        }
        Map<String, String> form = FormBody.parse(body);
        return form != null && form.containsKey("payload") ? Hmac.utf8(form.get("payload")) : body;
    }
}
