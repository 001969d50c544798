package io.jobpipe.worker.agent.builtin.normalize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack's message markup made readable for a subject line. Slack sends text (messages, slash-command arguments)
 * with {@code &}, {@code <}, {@code >} escaped and mentions and links in angle brackets: {@code <@U123|ada>},
 * {@code <#C123|ops>}, {@code <!here>}, {@code <!subteam^S1|@oncall>}, {@code <https://x|label>}.
 */
final class SlackText {
    private static final Pattern MARKUP = Pattern.compile("<([^<>]+)>");

    private SlackText() {
    }

    /** {@code <@U123|ada> see <https://x|incident 7> &amp; more} → {@code @ada see incident 7 & more}. */
    static String readable(String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = MARKUP.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(entity(matcher.group(1))));
        }
        matcher.appendTail(out);
        return unescape(out.toString());
    }

    /** Slack's three escapes undone ({@code &amp;} last, so {@code &amp;lt;} stays {@code &lt;}). */
    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** One {@code <…>}: its label when it has one, else the mention or the link itself. */
    private static String entity(String inside) {
        int bar = inside.indexOf('|');
        String target = bar < 0 ? inside : inside.substring(0, bar);
        String label = bar < 0 ? null : inside.substring(bar + 1);
        if (target.startsWith("@")) {
            return "@" + (label != null ? label : target.substring(1));
        }
        if (target.startsWith("#")) {
            return "#" + (label != null ? label : target.substring(1));
        }
        if (target.startsWith("!")) {
            if (label != null) {
                return label;
            }
            int caret = target.indexOf('^');
            return "@" + (caret < 0 ? target.substring(1) : target.substring(1, caret));
        }
        return label != null ? label : target;
    }
}
