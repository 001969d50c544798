package io.jobpipe.worker.agent.builtin.normalize;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlackTextTest {

    @Test
    void shouldShowMentionsByTheirLabelOrId() {
        assertThat(SlackText.readable("<@U061F7AUR|ada> and <@U0LAN0Z89> in <#C0LAN2Q65|ops> and <#C1>"))
                .isEqualTo("@ada and @U0LAN0Z89 in #ops and #C1");
    }

    @Test
    void shouldShowSpecialMentionsAndUserGroups() {
        assertThat(SlackText.readable("<!here> <!channel> <!subteam^S0614TZR7|@oncall> <!date^1392734382^{date}|Feb 18>"))
                .isEqualTo("@here @channel @oncall Feb 18");
    }

    @Test
    void shouldShowLinksByTheirLabelElseTheUrl() {
        assertThat(SlackText.readable("see <https://status.acme.dev/incidents/7|incident 7> or <https://acme.dev>"))
                .isEqualTo("see incident 7 or https://acme.dev");
    }

    @Test
    void shouldUndoSlacksEscapesOnce() {
        assertThat(SlackText.readable("a &lt; b &amp;&amp; c &gt; d, literally &amp;lt;"))
                .isEqualTo("a < b && c > d, literally &lt;");
    }

    @Test
    void shouldLeaveTextWithoutMarkupAlone() {
        assertThat(SlackText.readable("4F2K-9QXA")).isEqualTo("4F2K-9QXA");
        assertThat(SlackText.readable(null)).isNull();
    }
}
