package fi.palvelurinki.broker.analytics;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes each table as {@code NAME.csv}: RFC 4180, UTF-8, a header row, dot decimals, empty for no value. */
public final class CsvExport {
    private CsvExport() {}

    /** Returns the files written. */
    public static List<Path> write(List<Table> tables, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Table t : tables) {
            Path file = dir.resolve(t.name() + ".csv");
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                write(t, w);
            }
            out.add(file);
        }
        return out;
    }

    static void write(Table t, Writer w) throws IOException {
        List<String> header = new ArrayList<>();
        t.columns().forEach(c -> header.add(c.name()));
        line(w, header);
        for (List<Object> row : t.rows()) {
            List<String> cells = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                cells.add(Table.csv(t.columns().get(i).kind(), row.get(i)));
            }
            line(w, cells);
        }
    }

    private static void line(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                w.write('"' + c.replace("\"", "\"\"") + '"');
            } else {
                w.write(c);
            }
        }
        w.write("\r\n");
    }
}
