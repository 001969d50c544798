package io.jobpipe.status.ops.kafka;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.config.OpsProperties;
import io.jobpipe.status.ops.command.CommandNotSentException;
import io.jobpipe.status.ops.command.OpsCommandSender;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.jobpipe.support.kafka.ProducerTimeouts;
import io.jobpipe.support.kafka.TopicProvisioning;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Outputs: {@code <namespace>jobpipe.ops.commands}, key = jobId (so a job's commands keep their order), value =
 * OpsCommand JSON; and {@code <namespace>jobpipe.breakers}, key = {@code <pipeline>/<stage>}, value = BreakerState
 * JSON. One plain producer with service-support's defaults (acks=all, idempotent) for both; it is made here rather
 * than injected because micronaut-kafka offers a {@code Producer} bean of its own. Each send waits for the broker's
 * acknowledgement up to {@code jobpipe.ops.send-timeout}; a failure is a {@link CommandNotSentException} (the API
 * answers 503), never a silent loss.
 */
@Singleton
public class KafkaOpsCommandSender implements OpsCommandSender {
    private final Producer<String, byte[]> producer;
    private final Topic<OpsCommand> commands;
    private final Topic<BreakerState> breakers;
    private final TopicProvisioning provisioning;
    private final Duration sendTimeout;
    private final MeterRegistry registry;

    public KafkaOpsCommandSender(KafkaClientConfigs configs, Topics topics, TopicProvisioning provisioning,
                                 OpsProperties properties, MeterRegistry registry) {
        this.registry = registry;
        this.commands = topics.opsCommands;
        this.breakers = topics.breakers;
        this.provisioning = provisioning;
        this.sendTimeout = properties.sendTimeout();
        // No linger: an operator waits for each single command; a bulk operation is paced, its sends overlap anyway.
        ProducerTimeouts timeouts = new ProducerTimeouts(Duration.ZERO, sendTimeout.dividedBy(2),
                sendTimeout.dividedBy(2), sendTimeout);
        this.producer = new KafkaProducer<>(configs.producer(topics.namespace() + "jobpipe-status-ops",
                KafkaClientDefaults.producer(timeouts)), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(OpsCommand command) {
        send(commands, command.jobId(), command, command.getClass().getSimpleName());
    }

    @Override
    public CompletableFuture<Void> sendAsync(OpsCommand command) {
        String type = command.getClass().getSimpleName();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            provisioning.ensureTopics();
            byte[] bytes = commands.valueSerde().serializer().serialize(commands.name(), command);
            producer.send(new ProducerRecord<>(commands.name(), command.jobId(), bytes), (metadata, error) -> {
                count(type, error == null);
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(new CommandNotSentException("Kafka refused the command: " + error, error));
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            count(type, false);
            acknowledged.completeExceptionally(new CommandNotSentException("Kafka did not take the command: " + e, e));
        }
        return acknowledged;
    }

    @Override
    public void send(BreakerState state) {
        send(breakers, state.breaker(), state, state.holdsDispatches() ? "OpenBreaker" : "CloseBreaker");
    }

    private <V> void send(Topic<V> topic, String key, V value, String type) {
        boolean sent = false;
        try {
            provisioning.ensureTopics();
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            sent = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandNotSentException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new CommandNotSentException("Kafka refused the command: " + e.getCause(), e.getCause());
        } catch (TimeoutException | KafkaException | IllegalStateException e) {
            throw new CommandNotSentException("Kafka did not acknowledge the command in time: " + e, e);
        } finally {
            count(type, sent);
        }
    }

    /** jobpipe_ops_commands_total{type, outcome}: what operators asked for, and whether Kafka took it. */
    private void count(String type, boolean sent) {
        Counter.builder("jobpipe.ops.commands").description("Ops commands sent to jobpipe.ops.commands or jobpipe.breakers")
                .tag("type", type).tag("outcome", sent ? "sent" : "failed")
                .register(registry).increment();
    }

    @PreDestroy
    void close() {
        producer.close(sendTimeout);
    }
}
