package dev.wheelwright.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelwright.python.InvalidProjectNameException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.toml.InvalidTomlException;
import dev.wheelwright.toml.Toml;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the project name out of a repository's packaging files, for organisation discovery. Only what is needed:
 * {@code name} of the {@code [project]} table (PEP 621) or of {@code [tool.poetry]} in {@code pyproject.toml} (read
 * as TOML: text that is not TOML names nothing), and {@code name} of {@code [metadata]} in {@code setup.cfg}.
 * Anything else, or a name that is not a valid project name, yields empty. Stateless.
 */
public final class PackagingFiles {
    private static final Pattern INI_NAME = Pattern.compile("^name\\s*[=:]\\s*(.*?)\\s*$");
    private static final Pattern INI_SECTION = Pattern.compile("^\\[\\s*([^]]+?)\\s*]\\s*$");

    private PackagingFiles() {}

    /** The project name declared in {@code pyproject.toml} text. */
    public static Optional<ProjectName> fromPyproject(String toml) {
        JsonNode root;
        try {
            root = Toml.parse(toml);
        } catch (InvalidTomlException e) {
            return Optional.empty();
        }
        JsonNode pep621 = root.path("project").path("name");
        if (pep621.isTextual()) { // a [project] name that is not a valid name is not made up for by [tool.poetry]
            return parse(pep621.asText());
        }
        JsonNode poetry = root.path("tool").path("poetry").path("name");
        return poetry.isTextual() ? parse(poetry.asText()) : Optional.empty();
    }

    /** The project name declared in {@code setup.cfg} text. */
    public static Optional<ProjectName> fromSetupCfg(String ini) {
        String section = "";
        for (String line : ini.split("\\r?\\n")) {
            Matcher s = INI_SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1);
                continue;
            }
            Matcher n = INI_NAME.matcher(line);
            if (section.equals("metadata") && n.matches()) {
                return parse(n.group(1));
            }
        }
        return Optional.empty();
    }

    private static Optional<ProjectName> parse(String value) {
        try {
            return Optional.of(ProjectName.parse(value.strip()));
        } catch (InvalidProjectNameException e) {
            return Optional.empty();
        }
    }
}
