package io.jobpipe.status.ops.auth;

import org.junit.jupiter.api.Test;

import static io.jobpipe.status.ops.auth.AccessRules.Rule.OPEN;
import static io.jobpipe.status.ops.auth.AccessRules.Rule.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which request needs which token, under each setting. */
class AccessRulesTest {

    @Test
    void shouldCloseListingsButNotOneJobByDefault() {
        AccessRules rules = AccessRules.DEFAULT;

        for (String path : new String[]{"/jobs", "/jobs/", "/stats", "/stats/export", "/exports/jobs.csv", "/events"}) {
            assertThat(rules.needed("GET", path)).as(path).contains(OpsRole.READ);
        }
        for (String path : new String[]{"/jobs/job-1", "/jobs/job-1/events", "/jobs/job-1/artifacts/report.md",
                "/health", "/health/readiness", "/", "/index.html", "/openapi.yml", "/jobsx", "/eventsource.js"}) {
            assertThat(rules.needed("GET", path)).as(path).isEmpty();
        }
    }

    @Test
    void shouldAskAnOperateTokenForAnythingButAReadOfTheOpsApi() {
        assertThat(AccessRules.DEFAULT.needed("GET", "/ops/dead-letters")).contains(OpsRole.READ);
        assertThat(AccessRules.DEFAULT.needed("HEAD", "/ops/dead-letters")).contains(OpsRole.READ);
        assertThat(AccessRules.DEFAULT.needed("POST", "/ops/jobs/j/replay")).contains(OpsRole.OPERATE);
        assertThat(AccessRules.DEFAULT.needed("DELETE", "/ops/operations/o")).contains(OpsRole.OPERATE);
        assertThat(new AccessRules(OPEN, OPEN).needed("GET", "/ops/breakers")).as("ops is never open")
                .contains(OpsRole.READ);
    }

    @Test
    void shouldFollowEachSetting() {
        assertThat(new AccessRules(OPEN, OPEN).needed("GET", "/jobs")).isEmpty();
        assertThat(new AccessRules(OPEN, TOKEN).needed("GET", "/jobs/job-1/events")).contains(OpsRole.READ);
        assertThat(new AccessRules(OPEN, TOKEN).needed("GET", "/jobs")).isEmpty();
    }

    @Test
    void shouldNameTheSettingOfAValueItDoesNotKnow() {
        assertThat(AccessRules.Rule.parse("jobpipe.access.listing", " Open ")).isEqualTo(OPEN);
        assertThatThrownBy(() -> AccessRules.Rule.parse("jobpipe.access.listing", "public"))
                .hasMessage("jobpipe.access.listing must be 'token' or 'open', not 'public'");
    }
}
