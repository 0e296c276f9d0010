package dev.sparksweep.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

/** Renders a query result as a plain-text table (Spark's own {@code show()} writes straight to stdout). */
final class Tables {

    private static final int MAX_CELL = 60;

    private Tables() {
    }

    static String format(Dataset<Row> data, int limit) {
        List<List<String>> cells = new ArrayList<>();
        for (Row row : data.limit(limit).collectAsList()) {
            List<String> line = new ArrayList<>();
            for (int c = 0; c < row.length(); c++) {
                Object v = row.get(c);
                line.add(v == null ? "null" : v.toString());
            }
            cells.add(line);
        }
        return format(List.of(data.columns()), cells);
    }

    /** A table of strings: a header and rows of as many cells. */
    static String format(List<String> headerCells, List<List<String>> table) {
        String[] header = headerCells.toArray(new String[0]);
        List<List<String>> rows = table;
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
        }
        for (List<String> row : rows) {
            String[] line = new String[header.length];
            for (int c = 0; c < header.length; c++) {
                String s = row.get(c);
                if (s.length() > MAX_CELL) {
                    s = s.substring(0, MAX_CELL - 3) + "...";
                }
                line[c] = s;
                width[c] = Math.max(width[c], s.length());
            }
            cells.add(line);
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < header.length; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        out.append(rule).append('\n');
        for (String[] line : cells) {
            appendLine(out, line, width);
        }
        out.append("(").append(rows.size()).append(rows.size() == 1 ? " row)" : " rows)").append('\n');
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            out.append(c == 0 ? "" : " | ").append(String.format("%-" + width[c] + "s", cells[c]));
        }
        out.append('\n');
    }
}
