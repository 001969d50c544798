package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The decide stage's compiled rule sets, by the stage settings that name them: {@code rules} (a list, inline in the
 * pipeline file), or {@code rulesFile} (a YAML or JSON list, relative to the pipeline file's folder), else the
 * built-in {@code default-rules.yaml} beside this class. Compiling takes milliseconds, evaluating microseconds: each
 * rule set is compiled once (at start-up for the pipelines the worker knows, {@link DecideRulesCheck}) and kept.
 * A rules file is read once; change it and restart the worker.
 */
public final class RuleBook {
    public static final String RULES = "rules";
    public static final String RULES_FILE = "rulesFile";
    private static final String DEFAULT_RESOURCE = "default-rules.yaml";
    /** Pipelines hold a handful of rule sets; this only bounds the memory of requests with settings nobody expected. */
    private static final int MAX_CACHED = 64;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final RuleSet DEFAULT = loadDefault();

    private final Path baseDirectory;
    private final ConcurrentMap<JsonNode, RuleSet> compiled = new ConcurrentHashMap<>();

    /** @param baseDirectory where a {@code rulesFile} is looked for: the pipeline file's folder */
    public RuleBook(Path baseDirectory) {
        this.baseDirectory = baseDirectory.toAbsolutePath().normalize();
    }

    /** A book for the pipeline file at {@code pipelinesFile} (blank: the built-in catalog, files relative to here). */
    public static RuleBook forPipelineFile(String pipelinesFile) {
        if (pipelinesFile == null || pipelinesFile.isBlank()) {
            return new RuleBook(Path.of(""));
        }
        Path parent = Path.of(pipelinesFile).toAbsolutePath().getParent();
        return new RuleBook(parent == null ? Path.of("") : parent);
    }

    public static RuleSet defaults() {
        return DEFAULT;
    }

    /**
     * The rule set a decide stage with {@code settings} runs.
     *
     * @throws RuleLanguage.InvalidRuleException when its rules cannot be read or compiled, naming the rule and
     *                                           where in its expression the problem is
     */
    public RuleSet forSettings(JsonNode settings) {
        JsonNode inline = settings == null ? null : settings.get(RULES);
        JsonNode file = settings == null ? null : settings.get(RULES_FILE);
        boolean hasInline = inline != null && !inline.isNull();
        boolean hasFile = file != null && !file.isNull();
        if (hasInline && hasFile) {
            throw new RuleLanguage.InvalidRuleException("settings: give either 'rules' or 'rulesFile', not both");
        }
        if (!hasInline && !hasFile) {
            return DEFAULT;
        }
        if (hasFile && !file.isTextual()) {
            throw new RuleLanguage.InvalidRuleException("settings: 'rulesFile' must be a path, got " + file);
        }
        JsonNode key = hasInline ? inline : file;
        RuleSet known = compiled.get(key);
        if (known != null) {
            return known;
        }
        RuleSet made = hasInline ? RuleSet.parse("settings", inline) : fromFile(file.asText());
        if (compiled.size() < MAX_CACHED) {
            compiled.putIfAbsent(key, made);
        }
        return made;
    }

    private RuleSet fromFile(String name) {
        Path path = baseDirectory.resolve(name).normalize();
        String origin = "file " + name;
        JsonNode rules;
        try {
            rules = YAML.readTree(Files.readAllBytes(path));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new RuleLanguage.InvalidRuleException("settings.rulesFile: " + path + " is not valid YAML or JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RuleLanguage.InvalidRuleException("settings.rulesFile: cannot read " + path + " (relative to "
                    + baseDirectory + ", the pipeline file's folder): " + e);
        }
        return RuleSet.parse(origin, rules);
    }

    private static RuleSet loadDefault() {
        try (InputStream in = RuleBook.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return RuleSet.parse("default", YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
