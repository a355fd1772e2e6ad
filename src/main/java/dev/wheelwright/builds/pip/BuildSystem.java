package dev.wheelwright.builds.pip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelwright.builds.BuildFailedException;
import dev.wheelwright.toml.InvalidTomlException;
import dev.wheelwright.toml.Toml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A source tree's {@code [build-system]} table (PEP 518 / PEP 517, spec/builds.md §1): the requirements of its build
 * environment and its backend. Without the table (or without {@code pyproject.toml}) the legacy setuptools backend
 * applies, as pip and build do: {@code setuptools>=40.8.0} and {@code wheel}, which then needs a {@code setup.py}.
 *
 * @param requires PEP 508 requirement strings, as written
 * @param backend the {@code build-backend}, if given
 */
record BuildSystem(List<String> requires, Optional<String> backend) {
    static final List<String> LEGACY_REQUIRES = List.of("setuptools>=40.8.0", "wheel");
    /** A PEP 508 requirement starts with a name; anything else (an option like "--index-url") is refused. */
    private static final Pattern REQUIREMENT = Pattern.compile("[A-Za-z0-9][^\\r\\n\\x00]*");

    BuildSystem {
        requires = List.copyOf(requires);
    }

    /** Reads {@code dir/pyproject.toml}; a missing or invalid table is a {@link BuildFailedException}. */
    static BuildSystem read(Path dir) {
        Path pyproject = dir.resolve("pyproject.toml");
        if (!Files.isRegularFile(pyproject)) {
            requireSetupPy(dir, "there is no pyproject.toml");
            return new BuildSystem(LEGACY_REQUIRES, Optional.empty());
        }
        JsonNode root;
        try {
            root = Toml.read(pyproject);
        } catch (InvalidTomlException e) {
            throw new BuildFailedException("pyproject.toml is not valid TOML: " + e.getMessage());
        } catch (IOException e) {
            throw new BuildFailedException("pyproject.toml cannot be read.", e);
        }
        JsonNode table = root.path("build-system");
        if (table.isMissingNode()) {
            requireSetupPy(dir, "pyproject.toml has no [build-system] table");
            return new BuildSystem(LEGACY_REQUIRES, Optional.empty());
        }
        JsonNode requires = table.path("requires");
        if (!requires.isArray()) {
            throw new BuildFailedException("The [build-system] table of pyproject.toml has no requires list.");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode r : requires) {
            String text = r.isTextual() ? r.asText().strip() : "";
            if (!REQUIREMENT.matcher(text).matches()) {
                throw new BuildFailedException("build-system.requires holds '" + clip(r.toString())
                        + "', which is not a PEP 508 requirement.");
            }
            list.add(text);
        }
        JsonNode backend = table.path("build-backend");
        if (!backend.isMissingNode() && !backend.isTextual()) {
            throw new BuildFailedException("build-system.build-backend of pyproject.toml is not a string.");
        }
        return new BuildSystem(list, backend.isTextual() ? Optional.of(backend.asText()) : Optional.empty());
    }

    /** The backend, as the build log names it. */
    String backendName() {
        return backend.orElse("setuptools.build_meta:__legacy__");
    }

    private static void requireSetupPy(Path dir, String why) {
        if (!Files.isRegularFile(dir.resolve("setup.py"))) {
            throw new BuildFailedException("Nothing to build: " + why + " and no setup.py.");
        }
    }

    private static String clip(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }
}
