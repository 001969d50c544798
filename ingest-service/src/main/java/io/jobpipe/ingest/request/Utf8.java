package io.jobpipe.ingest.request;

/**
 * Strict UTF-8 validation without decoding: refuses truncated sequences, overlong forms, encoded surrogates and
 * code points above U+10FFFF (RFC 3629), which lenient decoders turn into replacement characters or, worse,
 * into different text than the sender signed.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The offset of the first byte that is not part of valid UTF-8, or -1 when all of {@code bytes} is valid. */
    public static int firstInvalidOffset(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                // E0 needs A0.. (else overlong); ED stops at 9F (else a surrogate).
                min = b == 0xE0 ? 0xA0 : 0x80;
                max = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                // F0 needs 90.. (else overlong); F4 stops at 8F (else above U+10FFFF).
                min = b == 0xF0 ? 0x90 : 0x80;
                max = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                return i;
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
