package io.jobpipe.worker.kafka;

import io.jobpipe.core.kafka.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sets the share group's own configs before any member subscribes. Share groups read them from the
 * group, not from the consumer: {@code share.isolation.level=read_committed} because the orchestrator
 * writes stage requests in EOS transactions (an aborted request must never run), and
 * {@code share.auto.offset.reset=earliest} so requests written before the first worker joined still run, and
 * {@code share.record.lock.duration.ms} clearly below the orchestrator's stage timeout (30 s by default), and
 * {@code share.renew.acknowledge.enable=true} (Kafka's default, set so that a cluster-wide change cannot turn it off
 * unseen) because {@link StageRequestLoop} renews the locks of long-running agents.
 */
public final class ShareGroupSetup {
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String ISOLATION_LEVEL = "share.isolation.level";
    public static final String LOCK_DURATION = "share.record.lock.duration.ms";
    public static final String RENEW_ACKNOWLEDGE_ENABLE = "share.renew.acknowledge.enable";
    /**
     * The lock on each acquired record. The broker's default (30 s) equals the default stage timeout, so a stuck
     * worker's lock and the orchestrator's timeout would race; at 15 s (the broker's minimum,
     * {@code group.share.min.record.lock.duration.ms}) a stuck record is redelivered well before its attempt
     * times out. A crashed worker's records come back at once anyway: the broker releases them on disconnect.
     */
    public static final long LOCK_DURATION_MS = 15_000;

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupSetup.class);
    static final Map<String, String> CONFIGS = configs(LOCK_DURATION_MS);

    private final Admin admin;
    private final Duration timeout;

    public ShareGroupSetup(Admin admin) {
        this(admin, TopicProvisioner.DEFAULT_TIMEOUT);
    }

    /** @param timeout the longest the broker may take to apply the configs ({@code jobpipe.topics.provisioning.timeout}) */
    public ShareGroupSetup(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    private static Map<String, String> configs(long lockDurationMs) {
        return Map.of(AUTO_OFFSET_RESET, "earliest", ISOLATION_LEVEL, "read_committed",
                LOCK_DURATION, Long.toString(lockDurationMs), RENEW_ACKNOWLEDGE_ENABLE, "true");
    }

    public void configure(String groupId) {
        configure(groupId, CONFIGS);
    }

    /** With a lock of {@code lockDurationMs} instead of 15 s: tests outlive a short lock quickly. */
    void configure(String groupId, long lockDurationMs) {
        configure(groupId, configs(lockDurationMs));
    }

    private void configure(String groupId, Map<String, String> configs) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("share group {} configured: {}", groupId, configs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring share group " + groupId, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot configure share group " + groupId + ": " + cause, cause);
        }
    }
}
