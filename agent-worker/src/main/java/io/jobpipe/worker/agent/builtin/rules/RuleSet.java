package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Ordered rules; the built-in default set lives in {@code default-rules.json} beside this class. */
public record RuleSet(String origin, List<Rule> rules) {
    private static final String DEFAULT_RESOURCE = "default-rules.json";
    private static final RuleSet DEFAULT = load();

    public RuleSet {
        rules = List.copyOf(rules);
    }

    public static RuleSet defaults() {
        return DEFAULT;
    }

    /** The stage's {@code rules} setting, or the defaults when it has none. */
    public static RuleSet fromSettings(JsonNode rules) {
        if (rules == null || rules.isMissingNode() || rules.isNull()) {
            return DEFAULT;
        }
        if (!rules.isArray()) {
            throw new IllegalArgumentException("'rules' must be a list of rules");
        }
        return parse("settings", rules);
    }

    static RuleSet parse(String origin, JsonNode array) {
        List<Rule> parsed = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            parsed.add(Rule.fromJson(array.get(i), i));
        }
        return new RuleSet(origin, parsed);
    }

    private static RuleSet load() {
        try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return parse("default", Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
