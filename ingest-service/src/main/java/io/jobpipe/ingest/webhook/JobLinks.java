package io.jobpipe.ingest.webhook;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a sender follows its job: the status service's job resource and its event stream.
 *
 * @param statusUrl {@code <status-base-url>/jobs/<jobId>}
 * @param eventsUrl {@code <status-base-url>/jobs/<jobId>/events} (Server-Sent Events)
 */
public record JobLinks(String statusUrl, String eventsUrl) {

    public static JobLinks of(String statusBaseUrl, String jobId) {
        String base = statusBaseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String job = base + "/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
        return new JobLinks(job, job + "/events");
    }
}
