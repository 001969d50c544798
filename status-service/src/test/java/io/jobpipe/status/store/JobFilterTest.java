package io.jobpipe.status.store;

import io.jobpipe.core.event.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure part of job filters: the subject search as a tsquery, and a time range that is not one. */
class JobFilterTest {

    private static JobFilter search(String text) {
        return new JobFilter(Set.of(), null, null, null, null, null, null, text);
    }

    @Test
    void shouldSearchEveryWordAsALowercasePrefix() {
        assertThat(search("Fix login").searchQuery()).isEqualTo("fix:* & login:*");
        assertThat(search("  DEPLOY  ").searchQuery()).isEqualTo("deploy:*");
        assertThat(search("Zürich Ünïcode 東京").searchQuery()).isEqualTo("zürich:* & ünïcode:* & 東京:*");
    }

    @Test
    void shouldLeaveNoOperatorOfTheUsersTextInTheQuery() {
        // tsquery syntax (& | ! <-> : * ( ) ') separates words and never reaches PostgreSQL.
        assertThat(search("a|b & !c <-> (d:*) 'e'").searchQuery()).isEqualTo("a:* & b:* & c:* & d:* & e:*");
        assertThat(search("!!! ***").searchQuery()).as("no word: no search").isNull();
        assertThat(search(null).searchQuery()).isNull();
    }

    @Test
    void shouldRefuseARangeThatEndsBeforeItStarts() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> new JobFilter(Set.of(JobStatus.COMPLETED), null, null, null, null, t, t, null))
                .hasMessageContaining("until must be after since");
        assertThat(new JobFilter(null, null, null, null, null, null, null, null).states()).isEmpty();
    }
}
