package io.jobpipe.support.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;

import java.util.Map;

/**
 * {@code jobpipe.kafka.*}: Kafka client settings an operator sets without a code change, keyed by Kafka's own
 * names and applied last, over the defaults in {@link KafkaClientDefaults} and over what the service sets.
 * For example {@code jobpipe.kafka.producer.linger.ms: 10} or {@code -Djobpipe.kafka.streams.num.stream.threads=2}.
 *
 * @param producer      every producer of the service
 * @param consumer      every plain consumer
 * @param shareConsumer every share consumer ({@code jobpipe.kafka.share-consumer.*})
 * @param streams       the Kafka Streams application (prefixed keys such as {@code producer.linger.ms} work too)
 * @param admin         the admin client
 */
@ConfigurationProperties("jobpipe.kafka")
public record KafkaClientProperties(
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
        Map<String, String> producer,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
        Map<String, String> consumer,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
        Map<String, String> shareConsumer,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
        Map<String, String> streams,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
        Map<String, String> admin) {

    public KafkaClientProperties {
        producer = copy(producer);
        consumer = copy(consumer);
        shareConsumer = copy(shareConsumer);
        streams = copy(streams);
        admin = copy(admin);
    }

    /** No overrides: every client runs on the defaults and the service's own settings. */
    public static KafkaClientProperties none() {
        return new KafkaClientProperties(null, null, null, null, null);
    }

    private static Map<String, String> copy(Map<String, String> overrides) {
        return overrides == null ? Map.of() : Map.copyOf(overrides);
    }
}
