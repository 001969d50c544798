package io.jobpipe.runtime.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The CLI's HTTP client set-up and URL building, shared by every command. */
public final class HttpClients {
    private HttpClients() {
    }

    /** HTTP/1.1: the services speak it natively, and an h2c upgrade would add a round trip to every new connection. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** {@code base} + {@code path}, keeping any path prefix {@code base} has (e.g. behind a proxy). */
    public static URI resolve(String base, String path) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + path);
    }

    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
