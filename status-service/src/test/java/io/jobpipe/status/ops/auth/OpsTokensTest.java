package io.jobpipe.status.ops.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing {@code jobpipe.ops.tokens} and finding the caller of a presented token. */
class OpsTokensTest {

    @Test
    void shouldFindTheCallerOfEachTokenAndNoneForOthers() {
        OpsTokens tokens = OpsTokens.parse(" reader:read:r-1 , alice:OPERATE:o:with:colons ");

        assertThat(tokens.find("r-1")).contains(new OpsCaller("reader", OpsRole.READ));
        assertThat(tokens.find("o:with:colons")).contains(new OpsCaller("alice", OpsRole.OPERATE));
        assertThat(tokens.find("r-")).isEmpty();
        assertThat(tokens.find("")).isEmpty();
        assertThat(tokens.find(null)).isEmpty();
        assertThat(tokens.find("o:with:colons").orElseThrow().requestedBy()).isEqualTo("ops:alice");
    }

    @Test
    void shouldBeEmptyWithoutConfiguration() {
        assertThat(OpsTokens.parse(null).isEmpty()).isTrue();
        assertThat(OpsTokens.parse("  ").isEmpty()).isTrue();
        assertThat(OpsTokens.parse("").find("anything")).isEmpty();
    }

    @Test
    void shouldLetOperateDoEverythingAndReadOnlyRead() {
        assertThat(OpsRole.OPERATE.allows(OpsRole.READ)).isTrue();
        assertThat(OpsRole.OPERATE.allows(OpsRole.OPERATE)).isTrue();
        assertThat(OpsRole.READ.allows(OpsRole.READ)).isTrue();
        assertThat(OpsRole.READ.allows(OpsRole.OPERATE)).isFalse();
    }

    @Test
    void shouldRefuseMalformedEntriesWithoutQuotingTheirTokens() {
        assertThatThrownBy(() -> OpsTokens.parse("a:read")).hasMessageContaining("entry 1 is not name:role:token");
        assertThatThrownBy(() -> OpsTokens.parse("a:read:t1,b:admin:secret-xyz"))
                .hasMessageContaining("role 'admin'").hasMessageNotContaining("secret-xyz");
        assertThatThrownBy(() -> OpsTokens.parse("a:read:t1,a:operate:t2")).hasMessageContaining("'a' twice");
        assertThatThrownBy(() -> OpsTokens.parse("a:read:same,b:operate:same"))
                .hasMessageContaining("repeats the token").hasMessageNotContaining("same,");
    }
}
