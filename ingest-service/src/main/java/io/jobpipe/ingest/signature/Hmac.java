package io.jobpipe.ingest.signature;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** HMAC-SHA256 over several byte ranges, and the constant-time comparison every scheme uses. */
final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    static byte[] sha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /**
     * True when any of {@code given} equals the MAC under any key. Every pair is compared, with
     * {@link MessageDigest#isEqual} (constant time for equal lengths), so timing tells nothing about which
     * secret or which candidate came close.
     */
    static boolean anyMatches(List<byte[]> keys, List<byte[]> given, byte[]... signed) {
        boolean match = false;
        for (byte[] key : keys) {
            byte[] expected = sha256(key, signed);
            for (byte[] candidate : given) {
                match |= MessageDigest.isEqual(expected, candidate);
            }
        }
        return match;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of a hex string (either case), or null when it is not hex. */
    static byte[] hexOrNull(String hex) {
        try {
            return hex.length() % 2 == 0 ? HexFormat.of().parseHex(hex) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The bytes of standard or URL-safe base64, or null when it is neither. */
    static byte[] base64OrNull(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
