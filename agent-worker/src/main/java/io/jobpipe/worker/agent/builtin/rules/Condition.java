package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.JsonPaths;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One test on the facts at a dotted path. In a rule's {@code when}, a scalar means {@code equals}, a list
 * means {@code in}, and an object names operators: {@code equals}, {@code in}, {@code contains}
 * (case-insensitive substring, or list membership), {@code matches} (regex), {@code exists}. All must hold.
 */
public record Condition(String path, String operator, JsonNode expected, Pattern pattern) {
    static final Set<String> OPERATORS = Set.of("equals", "in", "contains", "matches", "exists");

    public static List<Condition> parse(String ruleName, JsonNode when) {
        List<Condition> conditions = new ArrayList<>();
        if (when == null || when.isMissingNode() || when.isNull()) {
            return conditions;
        }
        if (!when.isObject()) {
            throw new IllegalArgumentException("rule '" + ruleName + "': 'when' must map paths to conditions");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = when.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode spec = entry.getValue();
            if (spec.isArray()) {
                conditions.add(of(ruleName, entry.getKey(), "in", spec));
            } else if (spec.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> ops = spec.fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    conditions.add(of(ruleName, entry.getKey(), op.getKey(), op.getValue()));
                }
            } else {
                conditions.add(of(ruleName, entry.getKey(), "equals", spec));
            }
        }
        return conditions;
    }

    private static Condition of(String ruleName, String path, String operator, JsonNode expected) {
        if (!OPERATORS.contains(operator)) {
            throw new IllegalArgumentException("rule '" + ruleName + "': unknown operator '" + operator + "' for '"
                    + path + "'; use one of " + new java.util.TreeSet<>(OPERATORS));
        }
        Pattern pattern = null;
        if (operator.equals("matches")) {
            try {
                pattern = Pattern.compile(expected.asText());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("rule '" + ruleName + "': bad regex for '" + path + "': "
                        + e.getDescription());
            }
        }
        return new Condition(path, operator, expected, pattern);
    }

    public boolean test(JsonNode facts) {
        JsonNode actual = JsonPaths.at(facts, path);
        boolean present = !actual.isMissingNode() && !actual.isNull();
        return switch (operator) {
            case "exists" -> present == expected.asBoolean(true);
            case "equals" -> present && anyValue(actual, value -> value.equals(expected.asText()));
            case "in" -> present && anyValue(actual, value -> contains(expected, value));
            case "contains" -> present && (actual.isArray()
                    ? anyValue(actual, value -> value.equalsIgnoreCase(expected.asText()))
                    : text(actual).toLowerCase(Locale.ROOT).contains(expected.asText().toLowerCase(Locale.ROOT)));
            case "matches" -> present && anyValue(actual, value -> pattern.matcher(value).find());
            default -> false;
        };
    }

    private static boolean anyValue(JsonNode actual, java.util.function.Predicate<String> test) {
        if (actual.isArray()) {
            for (JsonNode item : actual) {
                if (item.isValueNode() && test.test(item.asText())) {
                    return true;
                }
            }
            return false;
        }
        return test.test(text(actual));
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return list.isValueNode() && list.asText().equals(value);
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
