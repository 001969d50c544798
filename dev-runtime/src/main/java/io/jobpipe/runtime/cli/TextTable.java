package io.jobpipe.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns sized to their content; long cells are cut with an ellipsis. */
final class TextTable {
    private static final int MAX_CELL = 72;

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    TextTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            String cell = cells[i] == null ? "-" : cells[i].toString().replaceAll("\\s+", " ").strip();
            text[i] = cell.length() > MAX_CELL ? cell.substring(0, MAX_CELL - 1) + "…" : cell;
        }
        rows.add(text);
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
