package io.jobpipe.e2e;

import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in headless Chromium against the whole system: a webhook's job goes green on the live list,
 * a dead letter is replayed from its page, and the console says so when the status API cannot be reached.
 */
@ExtendWith(SharedSystem.class)
class ConsoleTest {
    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    private static JobpipeRuntime runtime;
    private static SystemHttp http;
    private static String console;

    @BeforeAll
    static void useTheSharedSystem() {
        runtime = SharedSystem.get().runtime();
        http = new SystemHttp(runtime.options());
        console = runtime.options().statusUrl() + "/";
    }

    @Test
    void shouldShowAWebhooksJobGoGreenLiveOnTheJobList() throws Exception {
        giveTokenOnce();
        browser.open(console + "#/jobs?pipeline=default");
        browser.awaitText("#page", "live");
        // Set on this page: a reload of the page would lose it, so it proves the row changed in place.
        browser.script("window.jobpipeTestMarker = 'no reload';");

        String jobId = http.postDemo("push", "{\"action\":\"opened\",\"title\":\"console goes green\"}");

        await().atMost(ConsoleBrowser.WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.await("tr[data-job='" + jobId + "'] .pill").getAttribute("data-state"))
                        .isEqualTo("COMPLETED"));
        assertThat(browser.script("return window.jobpipeTestMarker;")).isEqualTo("no reload");
        assertThat(browser.await("tr[data-job='" + jobId + "'] .pill").getCssValue("color"))
                .as("completed is green").isEqualTo("rgba(18, 128, 92, 1)");

        // The list redraws rows as the firehose brings events, so a row found a moment ago may be gone: find it again.
        await().atMost(ConsoleBrowser.WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(() -> {
                    browser.await("tr[data-job='" + jobId + "'] a").click();
                    return true;
                });
        browser.await("#page h1 .pill[data-state='COMPLETED']");
        browser.awaitText("#page h2", "stream ended");
        // Read in one script: the page redraws itself as the job's events arrive.
        assertThat(browser.script("return [...document.querySelectorAll('table.timeline tr[data-stage]')]"
                + ".map(row => row.dataset.stage + ' ' + row.querySelector('.pill').dataset.state);"))
                .asInstanceOf(InstanceOfAssertFactories.LIST).containsExactly("validate SUCCEEDED",
                        "normalize SUCCEEDED", "enrich SUCCEEDED", "decide SUCCEEDED", "act SUCCEEDED",
                        "record SUCCEEDED", "notify SUCCEEDED");
        assertThat(browser.pageText()).contains("Trace id", "Artifacts", "JobCompleted");

        browser.open(console + "#/stats?window=15m");
        browser.await("section[data-pipeline='default'] [data-chart=latency] canvas");
        assertThat(browser.await("section[data-pipeline='default'] [data-chart=failures]").getText())
                .contains("Failure, retry and dead-letter rate per stage");
    }

    @Test
    void shouldReplayADeadLetterFromItsPage() throws Exception {
        String jobId = deadLetteredJob(7);

        browser.open(console + "#/dead-letters?pipeline=fails-on-demand");
        WebElement row = browser.await("tr[data-job='" + jobId + "']");
        assertThat(row.getText()).contains("act", "DemoFailure");

        browser.await("input[name=reason]").sendKeys("console test: dry run first");
        browser.await("button[data-action=dry-run]").click();
        assertThat(browser.awaitText(".notice", "Dry run:").getText()).contains("dead letters match; nothing was sent");
        assertThat(http.awaitState(jobId, "DEAD_LETTERED", Duration.ofSeconds(1))).isNotNull();

        row.findElement(By.xpath(".//button[text()='Replay…']")).click();
        WebElement form = browser.await("tr[data-job='" + jobId + "'] form[data-action=replay]");
        form.findElement(By.name("reason")).sendKeys("console test: payload fixed");
        form.findElement(By.name("inputPatch")).sendKeys("{\"fail\":false}");
        form.findElement(By.cssSelector("button")).click();
        assertThat(browser.awaitText("tr[data-job='" + jobId + "'] .notice", "sent").getText()).contains("Replay rpl_");

        assertThat(http.awaitState(jobId, "COMPLETED", Duration.ofSeconds(60)).path("replays").get(0).path("reason")
                .asText()).isEqualTo("console test: payload fixed");
        browser.open(console + "#/jobs/" + jobId);
        browser.await("#page h1 .pill[data-state='COMPLETED']");
        assertThat(browser.pageText()).contains("console test: payload fixed");
    }

    @Test
    void shouldDropAJobFromAStateFilteredListWhenItLeavesThatStateWithoutAReload() throws Exception {
        String jobId = deadLetteredJob(8);
        browser.open(console + "#/jobs?state=DEAD_LETTERED&pipeline=fails-on-demand");
        browser.await("tr[data-job='" + jobId + "']");
        browser.awaitText("#page", "live");
        browser.script("window.jobpipeTestMarker = 'no reload';");

        SystemHttp.json(http.ops("POST", "/ops/jobs/" + jobId + "/replay", SystemHttp.OPERATE_TOKEN,
                "{\"reason\":\"console test: leaves the list\",\"inputPatch\":{\"fail\":false}}"), 202);

        // The firehose filters on a job's current state: the list must follow every state to see this job leave.
        await().atMost(ConsoleBrowser.WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(browser.script("return document.querySelectorAll(\"tr[data-job='" + jobId + "']\").length;"))
                        .isEqualTo(0L));
        assertThat(browser.script("return window.jobpipeTestMarker;")).isEqualTo("no reload");
        http.awaitState(jobId, "COMPLETED", Duration.ofSeconds(60));
    }

    /** A job of the fails-on-demand pipeline, dead-lettered at its act stage; the console has its token. */
    private static String deadLetteredJob(int order) throws Exception {
        String jobId = http.postDemo("fail-on-demand", "{\"fail\":true,\"order\":" + order + "}");
        http.awaitState(jobId, "DEAD_LETTERED", Duration.ofSeconds(60));
        giveTokenOnce();
        return jobId;
    }

    /**
     * The browser is cut off from the status API (offline emulation: to the page, exactly a server that does not
     * answer, without stopping the status-service other classes share), then connected again.
     */
    @Test
    void shouldSayWhenTheStatusApiCannotBeReachedAndRecoverWhenItIsBack() {
        giveTokenOnce();
        browser.open(console + "#/jobs");
        browser.awaitText("#page", "live");

        browser.offline(true);
        try {
            browser.open(console + "#/stats");
            assertThat(browser.awaitText("#page .notice.error", "Can't reach the status API").getText())
                    .as("the view says what to do").contains("./jobpipe up");
            WebElement banner = browser.await("#banner:not([hidden])");
            assertThat(banner.getText()).contains("Can't reach the status API", "Retrying every 5 s");
        } finally {
            browser.offline(false);
        }

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> browser.find("#banner").map(b -> b.getAttribute("hidden") != null).orElse(false));
        browser.await("#page h1");
        assertThat(browser.pageText()).contains("Stats").doesNotContain("Can't reach the status API");
    }

    /** The console asks for a token when a view needs one, and keeps it for the tab: a reload does not ask again. */
    private static void giveTokenOnce() {
        browser.open(console + "#/jobs");
        browser.await("#job-list table, #job-list .notice");
        if (browser.find("input[name=token]").isEmpty()) {
            return;
        }
        assertThat(browser.pageText()).contains("This view needs a token", "./jobpipe up prints the dev tokens");
        browser.await("input[name=token]").sendKeys(SystemHttp.OPERATE_TOKEN);
        browser.await("form.inline button").click();
        await().atMost(ConsoleBrowser.WAIT).until(() -> browser.find("input[name=token]").isEmpty());
        browser.reload();
        browser.await("#job-list table, #job-list .notice");
        assertThat(browser.find("input[name=token]")).as("the token is kept for the tab").isEmpty();
    }
}
