package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.worker.agent.StageInput;

import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derived context from the canonical event and the payload: a content hash and size, field count and
 * depth, keywords from title/text fields, labels, and a priority with its reasons. Pure and deterministic.
 */
public final class Enricher {
    public static final List<String> DEFAULT_HIGH_PRIORITY_WORDS = List.of(
            "urgent", "critical", "outage", "incident", "security", "sev1", "sev-1", "p0", "blocker");
    private static final List<String> HIGH_PRIORITY_TYPES = List.of(
            "invoice.payment_failed", "charge.failed", "charge.dispute.created", "payment_intent.payment_failed");
    private static final List<String> LOW_PRIORITY_TYPES = List.of("ping", "slack.url_verification");
    private static final Set<String> TEXT_FIELDS = Set.of(
            "title", "text", "body", "message", "description", "summary", "subject", "name", "comment");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}_-]{2,}");
    private static final Set<String> STOPWORDS = Set.of(
            "the", "and", "for", "with", "this", "that", "from", "into", "are", "was", "were", "has", "have", "had",
            "not", "but", "you", "your", "our", "its", "can", "will", "would", "should", "could", "all", "any",
            "been", "when", "then", "than", "there", "their", "what", "which", "who", "how", "why", "also", "just",
            "out", "over", "under", "about", "after", "before", "more", "some", "only", "very", "via", "per",
            "http", "https", "www", "com", "null", "true", "false");
    private static final int MAX_KEYWORDS = 10;
    private static final int MAX_TEXT_DEPTH = 4;

    private Enricher() {
    }

    public static boolean isEnrichment(JsonNode node) {
        return node != null && node.isObject() && node.path("payloadSha256").isTextual() && node.has("priority");
    }

    /** The enrich stage's output if an earlier stage produced one, else an enrichment made here. */
    public static JsonNode enrichmentOf(StageInput input, CanonicalEvent event) {
        return input.findOutput("enrich", Enricher::isEnrichment)
                .orElseGet(() -> enrich(event, input.payload(), strings(input.setting("highPriorityWords"))));
    }

    public static ObjectNode enrich(CanonicalEvent event, JsonNode payload, List<String> extraHighPriorityWords) {
        byte[] bytes = bytes(payload);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("source", event.source());
        out.put("type", event.type());
        out.put("payloadSha256", sha256(bytes));
        out.put("sizeBytes", bytes.length);
        out.put("fieldCount", countFields(payload));
        out.put("maxDepth", depth(payload));
        out.put("linkCount", event.links().size());

        List<String> texts = new ArrayList<>();
        if (event.subject() != null) {
            texts.add(event.subject());
        }
        collectTexts(payload, 0, texts);
        ArrayNode keywords = out.putArray("keywords");
        keywords(texts).forEach(keywords::add);
        List<String> labels = labels(payload);
        ArrayNode labelNode = out.putArray("labels");
        labels.forEach(labelNode::add);

        List<String> highWords = new ArrayList<>(DEFAULT_HIGH_PRIORITY_WORDS);
        extraHighPriorityWords.forEach(w -> highWords.add(w.toLowerCase(Locale.ROOT)));
        List<String> reasons = new ArrayList<>();
        String priority = priority(event, labels, texts, highWords, reasons);
        out.put("priority", priority);
        ArrayNode reasonNode = out.putArray("priorityReasons");
        reasons.forEach(reasonNode::add);
        return out;
    }

    private static String priority(CanonicalEvent event, List<String> labels, List<String> texts,
                                   List<String> highWords, List<String> reasons) {
        for (String label : labels) {
            String lower = label.toLowerCase(Locale.ROOT);
            for (String word : highWords) {
                if (lower.equals(word) || lower.contains(word)) {
                    reasons.add("label '" + label + "'");
                    break;
                }
            }
        }
        for (String word : highWords) {
            Pattern whole = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])");
            for (String text : texts) {
                if (whole.matcher(text.toLowerCase(Locale.ROOT)).find()) {
                    reasons.add("text mentions '" + word + "'");
                    break;
                }
            }
        }
        if (HIGH_PRIORITY_TYPES.contains(event.type())) {
            reasons.add("event type " + event.type());
        }
        if (!reasons.isEmpty()) {
            return "high";
        }
        if (LOW_PRIORITY_TYPES.contains(event.type())) {
            reasons.add("event type " + event.type() + " needs no attention");
            return "low";
        }
        return "normal";
    }

    /** GitHub-style labels ({@code [{name}]} or strings) on the payload, its issue or its pull request. */
    static List<String> labels(JsonNode payload) {
        Set<String> labels = new LinkedHashSet<>();
        for (JsonNode holder : List.of(payload, payload.path("issue"), payload.path("pull_request"))) {
            for (JsonNode label : holder.path("labels")) {
                String name = label.isTextual() ? label.asText() : label.path("name").asText("");
                if (!name.isBlank()) {
                    labels.add(name);
                }
            }
        }
        return List.copyOf(labels);
    }

    /** The most frequent words, ties broken by first appearance, so the list is stable. */
    static List<String> keywords(List<String> texts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String text : texts) {
            Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
            while (matcher.find()) {
                String word = matcher.group();
                if (!STOPWORDS.contains(word) && !word.chars().allMatch(Character::isDigit)) {
                    counts.merge(word, 1, Integer::sum);
                }
            }
        }
        List<String> order = new ArrayList<>(counts.keySet());
        return order.stream()
                .sorted((a, b) -> Integer.compare(counts.get(b), counts.get(a)) != 0
                        ? Integer.compare(counts.get(b), counts.get(a))
                        : Integer.compare(order.indexOf(a), order.indexOf(b)))
                .limit(MAX_KEYWORDS)
                .toList();
    }

    private static void collectTexts(JsonNode node, int depth, List<String> texts) {
        if (depth > MAX_TEXT_DEPTH) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (TEXT_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    texts.add(field.getValue().asText());
                } else {
                    collectTexts(field.getValue(), depth + 1, texts);
                }
            }
        } else if (node.isArray()) {
            node.forEach(item -> collectTexts(item, depth + 1, texts));
        }
    }

    static int countFields(JsonNode node) {
        int count = 0;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                count += 1 + countFields(it.next().getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                count += countFields(item);
            }
        }
        return count;
    }

    static int depth(JsonNode node) {
        int max = 0;
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                max = Math.max(max, depth(child));
            }
            return max + 1;
        }
        return 0;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(item -> {
            if (item.isTextual() && !item.asText().isBlank()) {
                values.add(item.asText());
            }
        });
        return values;
    }
}
