package io.jobpipe.ingest.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** Signs test requests the way each sender does, independently of the schemes under test. */
public final class Sign {
    private Sign() {
    }

    public static String hmacHex(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code X-Hub-Signature-256}. */
    public static String github(String secret, String body) {
        return "sha256=" + hmacHex(secret, body);
    }

    /** {@code X-Slack-Signature} for a request sent at {@code timestamp}. */
    public static String slack(String secret, long timestamp, String body) {
        return "v0=" + hmacHex(secret, "v0:" + timestamp + ":" + body);
    }
}
