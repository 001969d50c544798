package io.jobpipe.worker.outbound;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a called service answered: its status, its headers (lower-case names, the first value of each) and at most
 * the client's response cap of body bytes.
 */
public record OutboundResponse(int status, Map<String, String> headers, byte[] body) {

    public OutboundResponse {
        Map<String, String> lowerCase = new LinkedHashMap<>();
        headers.forEach((name, value) -> lowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        headers = Map.copyOf(lowerCase);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean isSuccess() {
        return status >= 200 && status <= 299;
    }
}
