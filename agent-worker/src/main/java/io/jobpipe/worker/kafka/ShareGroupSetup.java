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
 * {@code share.auto.offset.reset=earliest} so requests written before the first worker joined still run.
 */
public final class ShareGroupSetup {
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String ISOLATION_LEVEL = "share.isolation.level";
    /** Broker-side default lock on each acquired record (the group may override it). */
    public static final long DEFAULT_LOCK_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupSetup.class);
    static final Map<String, String> CONFIGS = Map.of(AUTO_OFFSET_RESET, "earliest", ISOLATION_LEVEL, "read_committed");

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

    public void configure(String groupId) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        List<AlterConfigOp> ops = CONFIGS.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("share group {} configured: {}", groupId, CONFIGS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring share group " + groupId, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot configure share group " + groupId + ": " + cause, cause);
        }
    }
}
