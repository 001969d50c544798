package io.jobpipe.ingest.webhook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobLinksTest {

    @Test
    void shouldPointAtTheStatusServiceJobAndItsEventStream() {
        JobLinks links = JobLinks.of("http://localhost:8081", "job_abc-DEF_1");

        assertThat(links.statusUrl()).isEqualTo("http://localhost:8081/jobs/job_abc-DEF_1");
        assertThat(links.eventsUrl()).isEqualTo("http://localhost:8081/jobs/job_abc-DEF_1/events");
    }

    @Test
    void shouldNotDoubleTheSlashWhenTheBaseUrlEndsWithOne() {
        assertThat(JobLinks.of("https://status.example/api//", "job_1").statusUrl())
                .isEqualTo("https://status.example/api/jobs/job_1");
    }
}
