package dev.sparksweep.report;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small self-contained HTML page: headings, paragraphs, tables and embedded PNG images, all text escaped. */
final class Html {

    /** A table of text cells. */
    record Table(List<String> header, List<List<String>> rows) {
    }

    private final StringBuilder body = new StringBuilder();
    private final Map<String, byte[]> images = new LinkedHashMap<>();
    private final String title;

    Html(String title) {
        this.title = title;
    }

    void heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
    }

    void paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
    }

    void table(Table table) {
        body.append("<table>\n<tr>");
        table.header().forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : table.rows()) {
            body.append("<tr>");
            row.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    void image(byte[] png, String alt) {
        images.put(alt, png);
        body.append("<figure><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(alt))
                .append("</figcaption></figure>\n");
    }

    /** Every image added, by its caption, in order. */
    Map<String, byte[]> images() {
        return images;
    }

    String render() {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>
                body { font-family: sans-serif; margin: 2em; color: #222; }
                table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
                th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
                th { background: #f0f0f0; }
                figure { margin: 1em 0; }
                img { max-width: 100%%; }
                </style></head>
                <body><h1>%s</h1>
                %s</body></html>
                """.formatted(escape(title), escape(title), body);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
