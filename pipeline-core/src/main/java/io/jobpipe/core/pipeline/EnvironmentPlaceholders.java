package io.jobpipe.core.pipeline;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in a pipeline file, filled from the environment before it is parsed,
 * so one file serves every environment (an agent's URL, a port). Only upper-case names count: lower-case
 * {@code ${payload.title}} belongs to the decide agent's templates and is left alone. {@code $${NAME}} stands for a
 * literal {@code ${NAME}}. Comments are filled too (the file is text until parsed). A name that is not set and has no default is an error naming its line: a pipeline must not
 * start with an empty URL. Secrets do not belong here (the file's values travel with each stage request); agents
 * read them by name ({@code secretEnv}).
 */
public final class EnvironmentPlaceholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$?\\$\\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?}");

    private EnvironmentPlaceholders() {
    }

    public static String fill(String text, UnaryOperator<String> environment, String source) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            String whole = matcher.group();
            String replacement;
            if (whole.startsWith("$$")) {
                replacement = whole.substring(1);
            } else {
                String value = environment.apply(matcher.group(1));
                if (value == null) {
                    if (matcher.group(2) == null) {
                        throw new IllegalArgumentException(source + " line " + lineOf(text, matcher.start()) + ": ${"
                                + matcher.group(1) + "} is not set in the environment; set it, or give a default: ${"
                                + matcher.group(1) + ":-value}");
                    }
                    value = matcher.group(2);
                }
                replacement = value;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
