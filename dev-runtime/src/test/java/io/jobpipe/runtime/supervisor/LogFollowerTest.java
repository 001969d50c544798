package io.jobpipe.runtime.supervisor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class LogFollowerTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveOnlyTheLinesWrittenAfterItStartedHoweverLongTheLogAlreadyIs() throws IOException {
        Path log = dir.resolve("status.log");
        // Earlier runs: more lines than any tail keeps, so counting lines could not tell old from new.
        Files.writeString(log, "an earlier run's line\n".repeat(150_000));
        LogFollower follower = new LogFollower(log);

        append(log, "---- starting\nprojection-bench RESULT ratio=0.2\n");

        assertThat(follower.newLines()).containsExactly("---- starting", "projection-bench RESULT ratio=0.2");
        assertThat(follower.newLines()).isEmpty();
    }

    @Test
    void shouldHoldAHalfWrittenLineUntilItEndsAndGiveItAtTheEndAnyway() throws IOException {
        Path log = dir.resolve("mode.log");
        LogFollower follower = new LogFollower(log);
        assertThat(follower.newLines()).as("no file yet").isEmpty();

        append(log, "first\nsec");
        assertThat(follower.newLines()).containsExactly("first");
        append(log, "ond\nthe last, without newline");
        assertThat(follower.newLines()).containsExactly("second");
        assertThat(follower.rest()).containsExactly("the last, without newline");
    }

    @Test
    void shouldReadAReplacedFileFromItsStart() throws IOException {
        Path log = dir.resolve("rotated.log");
        Files.writeString(log, "old old old old\n");
        LogFollower follower = new LogFollower(log);

        Files.writeString(log, "new\n");

        assertThat(follower.newLines()).containsExactly("new");
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
