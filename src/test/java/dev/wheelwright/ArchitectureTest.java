package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dependency rules of STYLE.md §4, checked on the import lines of the main sources. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/wheelwright");

    @ParameterizedTest(name = "{0} must not import {1}")
    @CsvSource(delimiter = ';', textBlock = """
            python        ; dev.wheelwright.(?!errors\\.|python\\.).*
            errors        ; dev.wheelwright.(?!errors\\.).*
            common        ; (?!java\\.|javax\\.|com.fasterxml.jackson\\.|dev.wheelwright.(errors|common)\\.).*
            index         ; (io.javalin|org.eclipse.jgit|software.amazon|java.sql|java.net.http|dev.wheelwright.storage.(fs|jdbc|s3)).*
            upload        ; (io.javalin|org.eclipse.jgit|software.amazon|java.sql|java.net.http|dev.wheelwright.storage.(fs|jdbc|s3)).*
            auth          ; (io.javalin|org.eclipse.jgit|software.amazon|java.sql|java.net.http|dev.wheelwright.storage.(fs|jdbc|s3)).*
            builds        ; (io.javalin|org.eclipse.jgit|software.amazon|java.sql|java.net.http|dev.wheelwright.storage.(fs|jdbc|s3)|dev.wheelwright.builds.pip).*
            builds/pip    ; dev.wheelwright.(http|storage|upload|index|auth).*
            config        ; (io.javalin|dev.wheelwright.(http|storage|upload|index)).*
            http          ; dev.wheelwright.storage.(fs|jdbc|s3).*
            storage/fs    ; dev.wheelwright.(http|storage.jdbc|storage.s3|upload|index).*
            storage/jdbc  ; dev.wheelwright.(http|storage.fs|storage.s3|upload|index).*
            upstream      ; (io.javalin|org.eclipse.jgit|software.amazon|java.sql|dev.wheelwright.(http|storage.(fs|jdbc|s3))).*
            upstream/http ; dev.wheelwright.(http|storage|upload|index|upstream.file).*
            upstream/file ; (java.net.http|dev.wheelwright.(http|storage|upload|index|upstream.http)).*
            """)
    void respects_the_layering(String packageDir, String forbidden) throws IOException {
        Path dir = MAIN.resolve(packageDir);
        assertThat(dir).isDirectory();
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
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
