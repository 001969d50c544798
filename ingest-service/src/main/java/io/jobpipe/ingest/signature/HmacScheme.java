package io.jobpipe.ingest.signature;

import io.jobpipe.ingest.request.HeaderLookup;

import java.util.List;
import java.util.Locale;

/**
 * Scheme {@code hmac}: a generic sender puts the HMAC-SHA256 of the raw body, hex or base64, in a header of the
 * connection's choosing, optionally after a fixed prefix (e.g. {@code X-Signature: sha256=<hex>}). The delivery id is
 * {@code Idempotency-Key}; there is no timestamp, so replay protection is deduplication by that key alone.
 */
public final class HmacScheme implements SignatureScheme {
    public static final String ID = "hmac";

    /** How the MAC is written in the header. */
    public enum Encoding {
        HEX, BASE64;

        public static Encoding of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signature-encoding must be hex or base64, got '" + name + "'");
            }
        }
    }

    private final List<byte[]> secrets;
    private final String header;
    private final Encoding encoding;
    private final String prefix;

    public HmacScheme(List<byte[]> secrets, String header, Encoding encoding, String prefix) {
        this.secrets = Secrets.required(secrets);
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("needs a signature-header");
        }
        this.header = header.strip();
        this.encoding = encoding;
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body) {
        String value = headers.get(header);
        if (value == null || value.isBlank()) {
            return new Verdict.Refused("The " + header + " header is missing.");
        }
        value = value.strip();
        if (!value.startsWith(prefix)) {
            return new Verdict.Refused("The " + header + " header does not start with '" + prefix + "'.");
        }
        String mac = value.substring(prefix.length());
        byte[] given = encoding == Encoding.HEX ? Hmac.hexOrNull(mac) : Hmac.base64OrNull(mac);
        if (given == null) {
            return new Verdict.Refused("The " + header + " header is not " + encoding.name().toLowerCase(Locale.ROOT) + ".");
        }
        if (!Hmac.anyMatches(secrets, List.of(given), body)) {
            return new Verdict.Refused("The " + header + " signature does not match the body.");
        }
        return GenericHeaders.authentic(headers, body);
    }
}
