package io.jobpipe.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Optional;

/** Dotted paths into JSON ({@code pull_request.user.login}, {@code commits.0.id}) for settings and rules. */
public final class JsonPaths {
    private JsonPaths() {
    }

    /** The node at {@code path}, or a missing node; numeric segments index arrays. */
    public static JsonNode at(JsonNode root, String path) {
        JsonNode node = root == null ? MissingNode.getInstance() : root;
        if (path == null || path.isEmpty()) {
            return node;
        }
        for (String segment : path.split("\\.", -1)) {
            if (node.isArray() && segment.chars().allMatch(Character::isDigit) && !segment.isEmpty()) {
                node = node.path(Integer.parseInt(segment));
            } else {
                node = node.path(segment);
            }
            if (node.isMissingNode()) {
                return node;
            }
        }
        return node;
    }

    /** True when {@code path} leads to a value that is present and not JSON null. */
    public static boolean present(JsonNode root, String path) {
        JsonNode node = at(root, path);
        return !node.isMissingNode() && !node.isNull();
    }

    /** The first of {@code paths} that holds a non-blank scalar, as text. */
    public static Optional<String> firstText(JsonNode root, String... paths) {
        for (String path : paths) {
            JsonNode node = at(root, path);
            if (node.isValueNode() && !node.isNull() && !node.asText().isBlank()) {
                return Optional.of(node.asText());
            }
        }
        return Optional.empty();
    }
}
