package io.jobpipe.status.ops.kafka;

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

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Output: {@code <namespace>jobpipe.ops.commands}, key = jobId (so a job's commands keep their order), value =
 * OpsCommand JSON. A plain producer with service-support's defaults (acks=all, idempotent); it is made here
 * rather than injected because micronaut-kafka offers a {@code Producer} bean of its own. Each send waits for the
 * broker's acknowledgement up to {@code jobpipe.ops.send-timeout}; a failure is a {@link CommandNotSentException}
 * (the API answers 503), never a silent loss.
 */
@Singleton
public class KafkaOpsCommandSender implements OpsCommandSender {
    private final Producer<String, OpsCommand> producer;
    private final Topic<OpsCommand> topic;
    private final TopicProvisioning provisioning;
    private final Duration sendTimeout;
    private final MeterRegistry registry;

    public KafkaOpsCommandSender(KafkaClientConfigs configs, Topics topics, TopicProvisioning provisioning,
                                 OpsProperties properties, MeterRegistry registry) {
        this.registry = registry;
        this.topic = topics.opsCommands;
        this.provisioning = provisioning;
        this.sendTimeout = properties.sendTimeout();
        // No linger: an operator waits for each single command; a bulk operation is paced anyway.
        ProducerTimeouts timeouts = new ProducerTimeouts(Duration.ZERO, sendTimeout.dividedBy(2),
                sendTimeout.dividedBy(2), sendTimeout);
        this.producer = new KafkaProducer<>(configs.producer(topics.namespace() + "jobpipe-status-ops",
                KafkaClientDefaults.producer(timeouts)), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public void send(OpsCommand command) {
        boolean sent = false;
        try {
            provisioning.ensureTopics();
            producer.send(new ProducerRecord<>(topic.name(), command.jobId(), command))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            sent = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandNotSentException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new CommandNotSentException("Kafka refused the command: " + e.getCause(), e.getCause());
        } catch (TimeoutException | KafkaException | IllegalStateException e) {
            throw new CommandNotSentException("Kafka did not acknowledge the command in time: " + e, e);
        } finally {
            // jobpipe_ops_commands_total{type, outcome}: what operators asked for, and whether Kafka took it.
            Counter.builder("jobpipe.ops.commands").description("Ops commands sent to jobpipe.ops.commands")
                    .tag("type", command.getClass().getSimpleName()).tag("outcome", sent ? "sent" : "failed")
                    .register(registry).increment();
        }
    }

    @PreDestroy
    void close() {
        producer.close(sendTimeout);
    }
}
