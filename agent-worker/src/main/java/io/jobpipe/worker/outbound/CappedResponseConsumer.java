package io.jobpipe.worker.outbound;

import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a response into memory up to {@code maxBytes}, and fails the exchange with {@link OutboundTooLarge} as soon
 * as it would read more (or as soon as a {@code Content-Length} announces more): a misbehaving service cannot fill
 * the worker's heap. One instance per exchange.
 */
final class CappedResponseConsumer extends AbstractBinResponseConsumer<OutboundResponse> {
    private final String origin;
    private final int maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    CappedResponseConsumer(String origin, int maxBytes) {
        this.origin = origin;
        this.maxBytes = maxBytes;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) throws OutboundTooLarge {
        status = response.getCode();
        for (Header header : response.getHeaders()) {
            headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
        }
        String length = headers.get("content-length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxBytes) {
            throw tooLarge("announced " + length + " bytes");
        }
    }

    @Override
    protected int capacityIncrement() {
        return 16 * 1024;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws OutboundTooLarge {
        if (body.size() + src.remaining() > maxBytes) {
            throw tooLarge("sent more");
        }
        byte[] chunk = new byte[src.remaining()];
        src.get(chunk);
        body.write(chunk, 0, chunk.length);
    }

    @Override
    protected OutboundResponse buildResult() {
        return new OutboundResponse(status, headers, body.toByteArray());
    }

    @Override
    public void releaseResources() {
        // Nothing pooled: the buffer goes with this consumer.
    }

    private OutboundTooLarge tooLarge(String what) {
        return new OutboundTooLarge(origin + " answered HTTP " + status + " and " + what + " than the " + maxBytes
                + " bytes a response may have (jobpipe.worker.outbound.max-response-bytes)");
    }
}
