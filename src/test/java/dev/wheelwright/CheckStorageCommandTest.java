package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.cli.Wiring;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.config.ConfigLoader;
import dev.wheelwright.config.WheelwrightConfig;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #14: {@code check --storage} lists stored files that break today's upload rules and changes nothing. */
class CheckStorageCommandTest {
    @TempDir
    Path dir;

    @Test
    void lists_stored_files_that_break_the_rules_without_deleting_them() throws Exception {
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, "storage: {data-dir: \"" + dir.resolve("data") + "\"}\nupstreams: []\n");
        Path good = Wheels.simple(Files.createDirectories(dir.resolve("good")), "acme-core", "1.0", "2.1");
        Path bad = Wheels.wheel(
                Files.createDirectories(dir.resolve("bad")),
                "acme_core-2.0-py3-none-any.whl",
                "acme_core-2.0.dist-info",
                "acme_core",
                "2.0",
                Wheels.metadata("2.1", "acme-core", "2.0", "Requires-Dist: requests (>=2.0;;; bad\n"));
        Path twin = Wheels.wheel(
                Files.createDirectories(dir.resolve("twin")),
                "ACME_Core-1.0-py3-none-any.whl",
                "ACME_Core-1.0.dist-info",
                "acme_core",
                "1.0",
                Wheels.metadata("2.1", "acme-core", "1.0", "Summary: another file of 1.0\n"));
        assertThat(run(config, "import", good.getParent().toString()).code()).isZero();
        WheelwrightConfig loaded = new ConfigLoader(Map.of()).load(config);
        try (Wiring wiring = new Wiring(loaded, Map.of())) { // as a release before #14 would have stored them
            Wiring.Storage storage = wiring.openStorage();
            for (Path file : List.of(bad, twin)) {
                byte[] bytes = Files.readAllBytes(file);
                String sha = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                BlobKey key = BlobKey.forContent(sha, ".whl");
                storage.blobs().put(key, file, Sha256.hex(file));
                String version = file.getFileName().toString().split("-")[1];
                storage.store()
                        .catalog()
                        .addFile(
                                new StoredFile(
                                        ProjectName.parse("acme-core"),
                                        Version.parse(version),
                                        file.getFileName().toString(),
                                        PackageType.BDIST_WHEEL,
                                        bytes.length,
                                        sha,
                                        key,
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        Instant.parse("2099-01-01T00:00:00Z"), // after the import: listed after it
                                        Optional.empty(),
                                        "old-release"),
                                "acme-core",
                                "");
            }
        }
        List<Path> blobsBefore = blobs();

        Run check = run(config, "check", "--storage");

        assertThat(check.out())
                .contains("stored file acme-core/acme_core-2.0-py3-none-any.whl: Invalid Requires-Dist \"requests"
                        + " (>=2.0;;; bad\"")
                .contains("stored file acme-core/ACME_Core-1.0-py3-none-any.whl: it is the same distribution as"
                        + " acme_core-1.0-py3-none-any.whl, stored before it with other bytes")
                .contains("storage audit: 3 files checked, 2 break the upload rules")
                .doesNotContain("acme-core/acme_core-1.0-py3-none-any.whl:");
        assertThat(check.code()).isEqualTo(1);
        assertThat(blobs()).isEqualTo(blobsBefore);
        try (Wiring wiring = new Wiring(loaded, Map.of())) {
            assertThat(wiring.openStorage().store().catalog().files(ProjectName.parse("acme-core")))
                    .hasSize(3);
        }
    }

    @Test
    void reports_a_clean_storage_with_exit_code_0() throws Exception {
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, "storage: {data-dir: \"" + dir.resolve("data") + "\"}\nupstreams: []\n");
        Path good = Wheels.simple(Files.createDirectories(dir.resolve("good")), "acme-core", "1.0", "2.1");
        run(config, "import", good.getParent().toString());

        Run check = run(config, "check", "--storage");

        assertThat(check.out()).contains("storage audit: 1 files checked, 0 break the upload rules");
        assertThat(check.code()).isZero();
    }

    private record Run(int code, String out) {}

    private static Run run(Path config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] all = Stream.concat(Stream.of("--config", config.toString()), Stream.of(args))
                .toArray(String[]::new);
        int code = new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of()).run(all);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    private List<Path> blobs() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("data").resolve("blobs"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
