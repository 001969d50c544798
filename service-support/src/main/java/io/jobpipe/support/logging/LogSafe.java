package io.jobpipe.support.logging;

/** Keeps caller-chosen text (paths, names) from breaking a log line into two or hiding in a huge one. */
public final class LogSafe {
    public static final int MAX_LENGTH = 256;

    private LogSafe() {
    }

    public static String clean(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 1));
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || Character.isWhitespace(c) ? '?' : c);
        }
        if (text.length() > MAX_LENGTH) {
            out.append('…');
        }
        return out.toString();
    }
}
