package dev.wheelwright.python;

/** Checks every distribution filename must pass before it is parsed: a single safe path segment. */
final class FilenameRules {
    static final int MAX_LENGTH = 255;

    private FilenameRules() {}

    /** Rejects empty, over-long names and names with separators, NUL, control characters or whitespace. */
    static void requireSafe(String filename) {
        if (filename.isEmpty()) {
            throw invalid(filename, "it is empty");
        }
        if (filename.length() > MAX_LENGTH) {
            throw invalid(filename, "it is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c == '/' || c == '\\') {
                throw invalid(filename, "it contains a path separator");
            }
            if (Character.isISOControl(c)
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c)) {
                throw invalid(filename, "it contains a control or whitespace character");
            }
        }
        if (filename.equals(".") || filename.equals("..")) {
            throw invalid(filename, "it is not a file name");
        }
    }

    /** The project name part of {@code filename}, parsed; one that is not a project name makes the file invalid. */
    static ProjectName name(String filename, String namePart) {
        try {
            return ProjectName.parse(namePart);
        } catch (InvalidProjectNameException e) {
            throw invalid(filename, "the project name part is not a valid project name");
        }
    }

    /** The version part of {@code filename}, parsed; one that is not PEP 440 makes the file invalid. */
    static Version version(String filename, String versionPart) {
        try {
            return Version.parse(versionPart);
        } catch (InvalidVersionException e) {
            throw invalid(filename, "the version " + Echo.quote(versionPart) + " is not PEP 440");
        }
    }

    static InvalidDistributionException invalid(String filename, String reason) {
        return new InvalidDistributionException(
                "invalid distribution filename " + Echo.quote(filename) + ": " + reason);
    }
}
