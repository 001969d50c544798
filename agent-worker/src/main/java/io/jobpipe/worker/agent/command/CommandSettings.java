package io.jobpipe.worker.agent.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.pipeline.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The checked {@code settings} of a {@code command:<program>} stage. An unknown key is refused (a typo such as
 * {@code arg:} would otherwise be ignored in silence), and every error names the key and what it takes.
 *
 * @param args           the program's arguments after its own path, passed as they are (no shell, no expansion)
 * @param env            names of worker environment variables the program may see, besides the basics
 * @param maxOutputBytes the most the program may write on stdout (its JSON document)
 * @param maxLogBytes    the most it may write on stderr (only the last 16 KiB are kept as the stage's log)
 * @param killGrace      how long a killed process tree gets between SIGTERM and SIGKILL
 * @param keepWorkdir    when the attempt's working folder stays after the attempt
 */
public record CommandSettings(List<String> args, List<String> env, long maxOutputBytes, long maxLogBytes,
                              Duration killGrace, KeepWorkdir keepWorkdir) {
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
    public static final long DEFAULT_MAX_LOG_BYTES = 1024 * 1024;
    /** Half of a result record's 32 MiB: the output travels on in every later stage's request. */
    public static final long MAX_OUTPUT_BYTES_LIMIT = 16L * 1024 * 1024;
    public static final long MAX_LOG_BYTES_LIMIT = 64L * 1024 * 1024;
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(2);
    public static final Duration MAX_KILL_GRACE = Duration.ofSeconds(30);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> KEYS = new TreeSet<>(
            List.of("args", "env", "maxOutputBytes", "maxLogBytes", "killGrace", "keepWorkdir"));

    /** When an attempt's working folder is deleted. */
    public enum KeepWorkdir {
        /** Deleted when the attempt ends, however it ends (the default: no disk grows with the jobs). */
        NEVER,
        /** Kept when the attempt failed, to look at what the program left; deleted when it succeeded. */
        ON_FAILURE,
        /** Always kept (for debugging a pipeline; nothing deletes it later). */
        ALWAYS;

        static KeepWorkdir parse(String text) {
            for (KeepWorkdir value : values()) {
                if (value.settingName().equals(text)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("keepWorkdir must be never, on-failure or always, got '" + text + "'");
        }

        String settingName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public CommandSettings {
        args = List.copyOf(args);
        env = List.copyOf(env);
    }

    public static CommandSettings defaults() {
        return new CommandSettings(List.of(), List.of(), DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_LOG_BYTES,
                DEFAULT_KILL_GRACE, KeepWorkdir.NEVER);
    }

    /**
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static CommandSettings parse(JsonNode settings) {
        if (settings == null || settings.isNull() || settings.isMissingNode()) {
            return defaults();
        }
        if (!settings.isObject()) {
            throw new IllegalArgumentException("settings must be a map, got " + settings.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; a command agent takes " + KEYS);
            }
        }
        return new CommandSettings(args(settings.path("args")), envNames(settings.path("env")),
                bytes(settings, "maxOutputBytes", DEFAULT_MAX_OUTPUT_BYTES, MAX_OUTPUT_BYTES_LIMIT),
                bytes(settings, "maxLogBytes", DEFAULT_MAX_LOG_BYTES, MAX_LOG_BYTES_LIMIT),
                killGrace(settings.path("killGrace")),
                settings.path("keepWorkdir").isMissingNode() ? KeepWorkdir.NEVER
                        : KeepWorkdir.parse(settings.path("keepWorkdir").asText()));
    }

    private static List<String> args(JsonNode node) {
        List<String> args = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return args;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("args must be a list, e.g. args: [\"--mode\", \"strict\"]");
        }
        for (JsonNode arg : node) {
            if (!arg.isValueNode() || arg.isNull()) {
                throw new IllegalArgumentException("args must hold plain values (strings, numbers), got " + arg);
            }
            args.add(arg.asText());
        }
        return args;
    }

    private static List<String> envNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return names;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("env must be a list of variable names, e.g. env: [PARSER_TOKEN]");
        }
        for (JsonNode name : node) {
            if (!name.isTextual() || !ENV_NAME.matcher(name.asText()).matches()) {
                throw new IllegalArgumentException("env holds names of environment variables (letters, digits, '_',"
                        + " not starting with a digit), got " + name);
            }
            names.add(name.asText());
        }
        return names;
    }

    private static long bytes(JsonNode settings, String key, long fallback, long limit) {
        JsonNode node = settings.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > limit) {
            throw new IllegalArgumentException(key + " must be a number of bytes from 1 to " + limit + ", got " + node);
        }
        return node.asLong();
    }

    private static Duration killGrace(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return DEFAULT_KILL_GRACE;
        }
        Duration grace;
        try {
            grace = Durations.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("killGrace: " + e.getMessage());
        }
        if (grace.isNegative() || grace.compareTo(MAX_KILL_GRACE) > 0) {
            throw new IllegalArgumentException("killGrace must be from 0s to " + MAX_KILL_GRACE.toSeconds() + "s, got "
                    + node.asText());
        }
        return grace;
    }
}
