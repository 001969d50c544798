package io.jobpipe.ingest.dedup;

import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The deliveries ingest has seen, in PostgreSQL table {@code ingest.deliveries} (job id → first seen, acknowledged),
 * shared by every replica and kept across restarts. A delivery is claimed before its JobRequested is produced and
 * marked acknowledged once Kafka acknowledged it; one statement each, so two replicas that receive the same delivery
 * at once are ordered by the row's lock. JDBC blocks, so every call runs on the blocking executor, never on an event
 * loop.
 */
@Singleton
public class DeliveryLedger {
    private static final String CLAIM = """
            INSERT INTO ingest.deliveries (job_id, connection) VALUES (?, ?)
            ON CONFLICT (job_id) DO UPDATE SET seen_count = ingest.deliveries.seen_count + 1
            RETURNING acknowledged_at IS NOT NULL AS acknowledged, seen_count = 1 AS first""";
    private static final String ACKNOWLEDGE =
            "UPDATE ingest.deliveries SET acknowledged_at = now() WHERE job_id = ? AND acknowledged_at IS NULL";
    private static final String PRUNE = """
            DELETE FROM ingest.deliveries WHERE job_id IN (
                SELECT job_id FROM ingest.deliveries WHERE first_seen_at < ? LIMIT ?)""";

    private final DataSource dataSource;
    private final ExecutorService blocking;

    /** What the ledger knew of a delivery when it was claimed. */
    public enum Claim {
        /** Never seen: produce it. */
        FIRST,
        /** Seen, but Kafka never acknowledged it (a produce failed, timed out, or is under way elsewhere): produce again. */
        UNACKNOWLEDGED,
        /** Seen and in Kafka: a duplicate. */
        ACKNOWLEDGED
    }

    public DeliveryLedger(DataSource dataSource, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.dataSource = dataSource;
        this.blocking = blocking;
    }

    /** Records that {@code jobId} arrived on {@code connection} and tells whether it was seen and acknowledged before. */
    public CompletableFuture<Claim> claim(String jobId, String connection) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(CLAIM)) {
                s.setString(1, jobId);
                s.setString(2, connection);
                try (ResultSet row = s.executeQuery()) {
                    row.next();
                    if (row.getBoolean("acknowledged")) {
                        return Claim.ACKNOWLEDGED;
                    }
                    return row.getBoolean("first") ? Claim.FIRST : Claim.UNACKNOWLEDGED;
                }
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, blocking);
    }

    /** Marks {@code jobId} acknowledged by Kafka: from now on it is a duplicate. */
    public CompletableFuture<Void> acknowledged(String jobId) {
        return CompletableFuture.runAsync(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ACKNOWLEDGE)) {
                s.setString(1, jobId);
                s.executeUpdate();
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, blocking);
    }

    /** Deletes up to {@code limit} deliveries first seen before {@code before}; returns how many. Blocks. */
    public int prune(Instant before, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(PRUNE)) {
            s.setTimestamp(1, Timestamp.from(before));
            s.setInt(2, limit);
            return s.executeUpdate();
        }
    }
}
