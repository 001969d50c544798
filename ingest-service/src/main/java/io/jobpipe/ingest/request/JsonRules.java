package io.jobpipe.ingest.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How strict a webhook body is read: one document and nothing after it, no key twice in an object, at most
 * {@code maxDepth} nested objects/arrays and numbers of at most {@code maxNumberLength} characters. Each is a way
 * to make one parser see another document than the next one (duplicate keys) or to spend a server's stack or CPU
 * (deep nesting, huge numbers). Built once; the reader it holds is thread-safe.
 */
public final class JsonRules {
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_MAX_NUMBER_LENGTH = 1000;
    public static final JsonRules DEFAULT = new JsonRules(DEFAULT_MAX_DEPTH, DEFAULT_MAX_NUMBER_LENGTH);

    private final int maxDepth;
    private final int maxNumberLength;
    private final ObjectReader reader;

    public JsonRules(int maxDepth, int maxNumberLength) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("max-depth must be positive, got " + maxDepth);
        }
        if (maxNumberLength < 1) {
            throw new IllegalArgumentException("max-number-length must be positive, got " + maxNumberLength);
        }
        this.maxDepth = maxDepth;
        this.maxNumberLength = maxNumberLength;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(maxNumberLength)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        // Trailing garbage after a valid document means the body is not the JSON the sender thinks it sent.
        this.reader = JsonMapper.builder(factory).build().reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public int maxDepth() {
        return maxDepth;
    }

    public int maxNumberLength() {
        return maxNumberLength;
    }

    ObjectReader reader() {
        return reader;
    }
}
