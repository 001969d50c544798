package io.jobpipe.status.ops.bulk;

import io.jobpipe.status.ops.command.CommandNotSentException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A bulk operation's sends in flight: counted as their answers come, never more than the window at once. */
class SendTallyTest {

    @Test
    void shouldCountAnswersAndFailuresInARowAsTheyCome() throws Exception {
        SendTally tally = new SendTally(4);
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        tally.track(first);
        tally.track(second);
        tally.track(third);

        first.completeExceptionally(new CommandNotSentException("Kafka refused the command: down", null));
        second.completeExceptionally(new CommandNotSentException("Kafka refused the command: still down", null));
        assertThat(tally.failuresInARow()).isEqualTo(2);
        third.complete(null);

        assertThat(tally.handedOver()).isEqualTo(3);
        assertThat(tally.sent()).isEqualTo(1);
        assertThat(tally.failed()).isEqualTo(2);
        assertThat(tally.failuresInARow()).as("an acknowledged send ends the run of failures").isZero();
        assertThat(tally.error()).isEqualTo("Kafka refused the command: still down");
    }

    @Test
    void shouldHoldTheSenderWhileTheWindowIsFull() throws Exception {
        SendTally tally = new SendTally(2);
        CompletableFuture<Void> first = new CompletableFuture<>();
        tally.track(first);
        tally.track(new CompletableFuture<>());
        CountDownLatch roomFound = new CountDownLatch(1);
        Thread sender = new Thread(() -> {
            try {
                tally.awaitRoom();
                roomFound.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();

        assertThat(roomFound.await(200, TimeUnit.MILLISECONDS)).as("two of two in flight").isFalse();
        first.complete(null);
        assertThat(roomFound.await(5, TimeUnit.SECONDS)).isTrue();
        sender.join(5_000);
    }

    @Test
    void shouldWaitForEveryAnswerBeforeTheOperationEnds() throws Exception {
        SendTally tally = new SendTally(8);
        CompletableFuture<Void> late = new CompletableFuture<>();
        tally.track(late);
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> late.complete(null));

        tally.awaitAll(Duration.ofSeconds(5));

        assertThat(tally.sent()).isEqualTo(1);
    }

    @Test
    void shouldLetThePaceCatchUpFiftyMillisecondsAtMost() {
        assertThat(BulkOperations.catchUpTokens(4)).isEqualTo(1);
        assertThat(BulkOperations.catchUpTokens(100)).isEqualTo(5);
        assertThat(BulkOperations.catchUpTokens(500)).isEqualTo(25);
    }
}
