package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Ingest and status stand-ins for benchmark tests: each webhook becomes a job whose whole event history is written
 * to the real job-events topic in one Kafka transaction (as the orchestrator writes with EOS) before the 202 goes
 * out, so events usually overtake the HTTP answer. {@code GET /jobs/{id}} answers the job's final state.
 */
final class FakeJobpipe implements AutoCloseable {
    enum Fate { COMPLETE, DEAD_LETTER, STALL }

    static final List<String> STAGES = List.of("validate", "act", "notify");

    final TestHttpServer ingest = TestHttpServer.start();
    final TestHttpServer status = TestHttpServer.start();
    private final KafkaProducer<String, JobEvent> producer;
    private final Topics topics;
    private final IntFunction<Fate> fates;
    private final Map<String, String> states = new ConcurrentHashMap<>();

    FakeJobpipe(String bootstrapServers, Topics topics, IntFunction<Fate> fates) {
        this.topics = topics;
        this.fates = fates;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fake-orchestrator-" + UUID.randomUUID()),
                new StringSerializer(), topics.jobEvents.valueSerde().serializer());
        producer.initTransactions();
        ingest.on("/webhooks/demo", exchange -> {
            String delivery = exchange.getRequestHeaders().getFirst("X-Delivery-Id");
            int index = Integer.parseInt(delivery.substring(delivery.lastIndexOf('-') + 1));
            String jobId = "job_" + index + "_" + UUID.randomUUID().toString().substring(0, 8);
            Fate fate = fates.apply(index);
            write(history(jobId, delivery, fate));
            states.put(jobId, switch (fate) {
                case COMPLETE -> "COMPLETED";
                case DEAD_LETTER -> "DEAD_LETTERED";
                case STALL -> "RUNNING";
            });
            TestHttpServer.json(exchange, 202, "{\"jobId\":\"" + jobId + "\",\"statusUrl\":\"/jobs/" + jobId + "\"}");
        });
        status.on("/jobs/", exchange -> {
            String jobId = exchange.getRequestURI().getPath().substring("/jobs/".length());
            String state = states.get(jobId);
            if (state == null) {
                TestHttpServer.respond(exchange, 404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404}");
            } else {
                TestHttpServer.json(exchange, 200, "{\"jobId\":\"" + jobId + "\",\"state\":\"" + state + "\"}");
            }
        });
    }

    private synchronized void write(List<JobEvent> events) {
        producer.beginTransaction();
        for (JobEvent event : events) {
            producer.send(new ProducerRecord<>(topics.jobEvents.name(), event.jobId(), event));
        }
        producer.commitTransaction();
    }

    private static List<JobEvent> history(String jobId, String delivery, Fate fate) {
        Instant now = Instant.now();
        List<JobEvent> events = new ArrayList<>();
        events.add(new JobEvent.JobAccepted("e", jobId, now, 1, "demo", delivery, "order.created", "r", "default", STAGES));
        long seq = 1;
        for (String stage : STAGES) {
            events.add(new JobEvent.StageDispatched("e", jobId, now, ++seq, stage, STAGES.indexOf(stage), 1, null));
            if (fate == Fate.STALL) {
                return events;
            }
            if (fate == Fate.DEAD_LETTER) {
                events.add(new JobEvent.JobDeadLettered("e", jobId, now, ++seq, stage, 5, "Timeout", "no answer",
                        "jobpipe.stage." + stage + ".dlq"));
                return events;
            }
            events.add(new JobEvent.StageCompleted("e", jobId, now.plusMillis(2), ++seq, stage, 1, now, 1, "ok", null));
        }
        events.add(new JobEvent.JobCompleted("e", jobId, now.plusMillis(3), ++seq));
        return events;
    }

    @Override
    public void close() {
        ingest.close();
        status.close();
        producer.close();
    }
}
