package io.jobpipe.status.export;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Rows to RFC 4180 CSV bytes. A text cell that a spreadsheet would run as a formula ({@code = + - @}, tab, carriage
 * return at its start) gets a leading apostrophe: exported fields hold what webhook senders wrote (subjects, errors),
 * and opening an export must never run their formulas (OWASP "CSV injection").
 */
public final class CsvCells {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private CsvCells() {
    }

    public static byte[] rows(List<Object[]> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 128);
        try (CSVPrinter printer = new CSVPrinter(text, FORMAT)) {
            for (Object[] row : rows) {
                Object[] cells = new Object[row.length];
                for (int i = 0; i < row.length; i++) {
                    cells[i] = cell(row[i]);
                }
                printer.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Object cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof String text && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return value;
    }
}
