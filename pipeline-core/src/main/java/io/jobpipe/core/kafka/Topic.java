package io.jobpipe.core.kafka;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A topic and the serdes of its records. Every job-keyed topic has a String key (the jobId). */
public record Topic<V>(String name, Serde<V> valueSerde) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    @Override
    public String toString() {
        return name;
    }
}
