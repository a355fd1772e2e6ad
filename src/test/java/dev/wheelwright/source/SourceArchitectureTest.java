package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** STYLE.md §4 for the git source: the service package uses ports only; each adapter knows its technology alone. */
class SourceArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/wheelwright");

    @ParameterizedTest(name = "{0} must not import {2}")
    @CsvSource(delimiter = ';', textBlock = """
            source        ; 1 ; (io.javalin|org.eclipse.jgit|software.amazon|java.sql|java.net.http|dev.wheelwright.(http|storage|source.jgit|source.github)).*
            source/jgit   ; 9 ; (io.javalin|java.net.http|dev.wheelwright.(http|index|upload|storage|source.github)).*
            source/github ; 9 ; (io.javalin|org.eclipse.jgit|dev.wheelwright.(http|index|upload|storage|source.jgit)).*
            """)
    void respects_the_layering(String packageDir, int depth, String forbidden) throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(packageDir), depth)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String trimmed = line.trim();
                    if (trimmed.startsWith("import ")) {
                        String imported = trimmed.replaceFirst("import (static )?", "").replace(";", "");
                        if (imported.matches(forbidden)) {
                            violations.add(file.getFileName() + ": " + imported);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
