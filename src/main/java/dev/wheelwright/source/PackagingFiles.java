package dev.wheelwright.source;

import dev.wheelwright.python.InvalidProjectNameException;
import dev.wheelwright.python.ProjectName;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the project name out of a repository's packaging files, for organisation discovery. Only what is needed:
 * {@code name} of the {@code [project]} table (PEP 621) or of {@code [tool.poetry]} in {@code pyproject.toml}, and
 * {@code name} of {@code [metadata]} in {@code setup.cfg}. Anything else, or a name that is not a valid project
 * name, yields empty. Stateless.
 */
public final class PackagingFiles {
    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([A-Za-z0-9_.\"' -]+?)\\s*]\\s*(#.*)?$");
    private static final Pattern TOML_NAME =
            Pattern.compile("^\\s*name\\s*=\\s*(?:\"([^\"\\\\]*)\"|'([^']*)')\\s*(#.*)?$");
    private static final Pattern INI_NAME = Pattern.compile("^name\\s*[=:]\\s*(.*?)\\s*$");
    private static final Pattern INI_SECTION = Pattern.compile("^\\[\\s*([^]]+?)\\s*]\\s*$");

    private PackagingFiles() {}

    /** The project name declared in {@code pyproject.toml} text. */
    public static Optional<ProjectName> fromPyproject(String toml) {
        String table = "";
        Optional<ProjectName> poetry = Optional.empty();
        for (String line : toml.split("\\r?\\n")) {
            Matcher t = TABLE.matcher(line);
            if (t.matches() && !line.strip().startsWith("[[")) {
                table = t.group(1).replace("\"", "").replace("'", "").replace(" ", "");
                continue;
            }
            Matcher n = TOML_NAME.matcher(line);
            if (n.matches()) {
                String value = n.group(1) != null ? n.group(1) : n.group(2);
                if (table.equals("project")) {
                    return parse(value);
                }
                if (table.equals("tool.poetry") && poetry.isEmpty()) {
                    poetry = parse(value);
                }
            }
        }
        return poetry;
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
