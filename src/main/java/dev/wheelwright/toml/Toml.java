package dev.wheelwright.toml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one TOML reader (TOML 1.0, by Jackson's TOML parser), for {@code pyproject.toml}: its build system for the
 * builds, its project name for organisation discovery. A document comes back as a Jackson tree, where an absent key
 * is a missing node ({@link JsonNode#path}). Stateless and thread-safe.
 */
public final class Toml {
    private static final TomlMapper MAPPER = new TomlMapper();

    private Toml() {}

    /** Parses TOML text; {@link InvalidTomlException} when it is not TOML. */
    public static JsonNode parse(String text) {
        try {
            return orMissing(MAPPER.readTree(text));
        } catch (JacksonException e) {
            throw new InvalidTomlException(e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a TOML file; {@link InvalidTomlException} when it is not TOML, {@link IOException} when it cannot be
     * read.
     */
    public static JsonNode read(Path file) throws IOException {
        try {
            return orMissing(MAPPER.readTree(file.toFile()));
        } catch (JacksonException e) {
            throw new InvalidTomlException(e.getOriginalMessage(), e);
        }
    }

    private static JsonNode orMissing(JsonNode tree) {
        return tree == null ? MissingNode.getInstance() : tree;
    }
}
