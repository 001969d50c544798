package io.jobpipe.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in the Prometheus text exposition format (0.0.4), parsed strictly enough to prove a service's
 * {@code /metrics} is readable by Prometheus: every line is a comment, a {@code # TYPE}/{@code # HELP} line or a
 * sample {@code name{label="value",...} value}; names and label names are legal; every sample belongs to a family
 * declared by {@code # TYPE}. A malformed scrape fails {@link #parse} with the offending line.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created");

    private final Map<String, String> types;
    private final List<Sample> samples;

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText(Map<String, String> types, List<Sample> samples) {
        this.types = types;
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            try {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    require(parts.length == 2 && NAME.matcher(parts[0]).matches()
                            && List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1]),
                            "bad TYPE line");
                    require(types.put(parts[0], parts[1]) == null, "second TYPE line for " + parts[0]);
                } else if (!line.startsWith("#")) {
                    Sample sample = sample(line);
                    require(familyOf(types, sample.name()) != null, "sample before its # TYPE line");
                    samples.add(sample);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not Prometheus text (" + e.getMessage()
                        + "): " + line, e);
            }
        }
        return new PrometheusText(Map.copyOf(types), List.copyOf(samples));
    }

    /** The declared type of a family ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** Every sample of that exact name. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The samples of that name whose labels include all of {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        return samples(name).stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The value of the one sample of that name with those labels (among others); fails if none or several match. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> matching = samples(name, labels);
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples of " + name + " with " + labels + ": " + matching);
        }
        return matching.get(0).value();
    }

    /** The sum over the samples of that name with those labels; 0 if there are none. */
    public double sum(String name, Map<String, String> labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        require(space > 0, "no value");
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        String rest;
        if (brace > 0 && brace < space) {
            name = line.substring(0, brace);
            int close = closingBrace(line, brace);
            labels = labels(line.substring(brace + 1, close));
            rest = line.substring(close + 1);
        } else {
            name = line.substring(0, space);
            rest = line.substring(space);
        }
        require(NAME.matcher(name).matches(), "bad metric name '" + name + "'");
        require(rest.startsWith(" "), "no space before the value");
        String[] valueAndTime = rest.trim().split(" ");
        require(valueAndTime.length <= 2, "more than a value and a timestamp");
        return new Sample(name, Map.copyOf(labels), value(valueAndTime[0]));
    }

    private static int closingBrace(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed label set");
    }

    private static Map<String, String> labels(String body) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher matcher = LABEL.matcher(body);
        int at = 0;
        while (at < body.length()) {
            require(matcher.find(at) && matcher.start() == at, "bad label at '" + body.substring(at) + "'");
            require(labels.put(matcher.group(1), unescape(matcher.group(2))) == null, "repeated label");
            at = matcher.end();
            if (at < body.length()) {
                require(body.charAt(at) == ',', "labels not separated by ','");
                at++;
            }
        }
        return labels;
    }

    private static String unescape(String value) {
        return value.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static String familyOf(Map<String, String> types, String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
