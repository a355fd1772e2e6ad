package dev.wheelwright.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads the spec test vectors: {@code src/test/resources/spec-vectors/*.tsv}, copied from the team's PEP digest (see
 * the README there for the PEPs each file comes from), read from the test classpath.
 *
 * <p>Rows are tab-separated, {@code #} lines are comments, {@code \n}, {@code \t} and {@code \\} are unescaped,
 * short rows are padded with empty columns. A missing file fails the test run; it is never skipped.
 */
public final class SpecVectors {
    private SpecVectors() {}

    /** The directory holding the vector files. */
    public static Path directory() {
        String override = System.getProperty("wheelwright.spec.vectors");
        if (override != null) {
            return Path.of(override);
        }
        URL url = SpecVectors.class.getResource("/spec-vectors/versions.tsv");
        if (url == null) {
            throw new IllegalStateException(
                    "spec vectors missing from the test classpath (src/test/resources/spec-vectors)");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("spec vectors are not files: " + url, e);
        }
    }

    /** Every data row of {@code file}, each padded to {@code columns} entries. */
    public static List<String[]> rows(String file, int columns) {
        Path path = directory().resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("spec vector file missing: " + path);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] raw = line.split("\t", -1);
            String[] row = Arrays.copyOf(raw, Math.max(columns, raw.length));
            for (int i = 0; i < row.length; i++) {
                row[i] = row[i] == null ? "" : unescape(row[i]);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("spec vector file has no rows: " + path);
        }
        return rows;
    }

    /** The rows as JUnit arguments, one String argument per column. */
    public static Stream<Arguments> arguments(String file, int columns) {
        return rows(file, columns).stream().map(row -> Arguments.of((Object[]) Arrays.copyOf(row, columns)));
    }

    /** Undoes the vector files' escaping of newline, tab and backslash. */
    public static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '\\' -> out.append('\\');
                    default -> {
                        out.append(c);
                        continue;
                    }
                }
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Shows control characters in test names. */
    public static String visible(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }
}
