package io.jobpipe.ingest.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    @Test
    void shouldAcceptAsciiAndEveryEncodingLength() {
        String text = "plain ä € 😀 \u07FF \uFFFD \uD83D\uDE00 end";
        assertThat(Utf8.firstInvalidOffset(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(Utf8.firstInvalidOffset(new byte[0])).isEqualTo(-1);
        assertThat(Utf8.firstInvalidOffset(HexFormat.of().parseHex("f48fbfbf"))).as("U+10FFFF").isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "41c328",     // a lead byte followed by ASCII
            "41c3",       // truncated at the end
            "41c0af",     // overlong '/'
            "41e08080",   // overlong three-byte
            "41f0808080", // overlong four-byte
            "41eda080",   // an encoded surrogate (CESU-8)
            "41f4908080", // above U+10FFFF
            "4180",       // a lone continuation byte
            "41ff",       // never valid
            "41f5808080"})
    void shouldFindTheFirstInvalidSequence(String hex) {
        assertThat(Utf8.firstInvalidOffset(HexFormat.of().parseHex(hex))).isEqualTo(1);
    }

    @Test
    void shouldAgreeWithTheJdkStrictDecoderOnEveryTwoByteSequence() throws Exception {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                byte[] bytes = {(byte) a, (byte) b};
                boolean jdkValid;
                try {
                    decoder.reset().decode(java.nio.ByteBuffer.wrap(bytes));
                    jdkValid = true;
                } catch (java.nio.charset.CharacterCodingException e) {
                    jdkValid = false;
                }
                assertThat(Utf8.firstInvalidOffset(bytes) < 0).as("%02x %02x", a, b).isEqualTo(jdkValid);
            }
        }
    }
}
