package dev.wheelwright.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 508 dependency specifier, as in {@code Requires-Dist}: {@code name [extras] (specifier | @ url) [; marker]}.
 *
 * <p>Contract: {@link #parse(String)} follows the grammar of {@code packaging.requirements.Requirement} (packaging's
 * {@code _parser.py}): optional whitespace around tokens, a specifier optionally in parentheses (the old
 * {@code name (>=1.0)} form), each specifier clause a PEP 440 specifier ({@link VersionSpecifier}), a URL with a
 * scheme after {@code @} and, after a URL, whitespace before the {@code ;}. The marker is checked against the PEP 508
 * marker grammar ({@code and}/{@code or}, parentheses, comparisons of environment variables and quoted strings with
 * the version operators, {@code in} and {@code not in}) but not evaluated. Anything else throws
 * {@link InvalidRequirementException} with the position and what was expected. Immutable and thread safe.
 *
 * @param name the project name
 * @param extras the extras as written, in order
 * @param specifier the version specifier (empty when none or a URL is given)
 * @param url the direct reference, if any
 * @param marker the environment marker text, if any, stripped
 */
public record Requirement(
        ProjectName name,
        List<String> extras,
        VersionSpecifier specifier,
        Optional<String> url,
        Optional<String> marker) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern OPERATOR = Pattern.compile("===|==|~=|!=|<=|>=|<|>");
    private static final Pattern SPECIFIER_VERSION = Pattern.compile("[^\\s,;()]+");
    private static final Pattern URL = Pattern.compile("[^ \\t]+");
    private static final Pattern URL_WITH_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:\\S+");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern VARIABLE = Pattern.compile("(python_version|python_full_version|os[._]name"
            + "|sys[._]platform|platform_(release|system)|platform[._](version|machine|python_implementation)"
            + "|python_implementation|implementation_(name|version)|extras?|dependency_groups)\\b");
    private static final Pattern BOOLOP = Pattern.compile("(or|and)\\b");
    private static final Pattern IN = Pattern.compile("in\\b");
    private static final Pattern NOT = Pattern.compile("not\\b");
    private static final int MAX_LENGTH = 8192;

    /** Copies {@code extras}; rejects nulls. */
    public Requirement {
        Objects.requireNonNull(name, "name");
        extras = List.copyOf(extras);
        Objects.requireNonNull(specifier, "specifier");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(marker, "marker");
    }

    /**
     * Parses a PEP 508 dependency specifier.
     *
     * @throws InvalidRequirementException if it is not one
     */
    public static Requirement parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new InvalidRequirementException("it is longer than " + MAX_LENGTH + " characters");
        }
        return new Parser(text).requirement();
    }

    /**
     * Checks a PEP 508 environment marker (the part after {@code ;}) without evaluating it.
     *
     * @throws InvalidRequirementException if it does not follow the marker grammar
     */
    public static void checkMarker(String marker) {
        Objects.requireNonNull(marker, "marker");
        if (marker.length() > MAX_LENGTH) {
            throw new InvalidRequirementException("it is longer than " + MAX_LENGTH + " characters");
        }
        Parser p = new Parser(marker);
        p.marker();
        p.whitespace();
        p.expectEnd("end of marker");
    }

    /** A recursive-descent parser over one input; one instance per parse. */
    private static final class Parser {
        private final String s;
        private int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        Requirement requirement() {
            whitespace();
            String rawName = expect(IDENTIFIER, "a project name at the start");
            ProjectName name;
            try {
                name = ProjectName.parse(rawName);
            } catch (InvalidProjectNameException e) {
                throw error("the project name " + Echo.quote(rawName) + " is not valid", pos - rawName.length());
            }
            whitespace();
            List<String> extras = extras();
            whitespace();
            VersionSpecifier specifier = VersionSpecifier.parse("");
            Optional<String> url = Optional.empty();
            Optional<String> marker = Optional.empty();
            if (peek('@')) {
                pos++;
                whitespace();
                String u = expect(URL, "a URL after @");
                if (!URL_WITH_SCHEME.matcher(u).matches()) {
                    throw error("the URL " + Echo.quote(u) + " has no scheme", pos - u.length());
                }
                url = Optional.of(u);
                if (!atEnd()) {
                    if (!isWhitespace()) {
                        throw error("expected whitespace after the URL", pos);
                    }
                    whitespace();
                    if (!atEnd()) {
                        marker = Optional.of(markerAfterSemicolon("URL and whitespace"));
                    }
                }
            } else {
                specifier = specifier();
                whitespace();
                if (!atEnd()) {
                    marker = Optional.of(markerAfterSemicolon(specifier.isEmpty() ? "name" : "version specifier"));
                }
            }
            expectEnd("end of dependency specifier");
            return new Requirement(name, extras, specifier, url, marker);
        }

        private String markerAfterSemicolon(String after) {
            if (!peek(';')) {
                throw error("expected end or semicolon after the " + after, pos);
            }
            pos++;
            int start = pos;
            marker();
            whitespace();
            return s.substring(start, pos).strip();
        }

        private List<String> extras() {
            List<String> extras = new ArrayList<>();
            if (!peek('[')) {
                return extras;
            }
            int open = pos++;
            whitespace();
            if (matches(IDENTIFIER)) {
                extras.add(extra());
                while (true) {
                    whitespace();
                    if (matches(IDENTIFIER)) {
                        throw error("expected a comma between extra names", pos);
                    }
                    if (!peek(',')) {
                        break;
                    }
                    pos++;
                    whitespace();
                    if (!matches(IDENTIFIER)) {
                        throw error("expected an extra name after the comma", pos);
                    }
                    extras.add(extra());
                }
            }
            whitespace();
            if (!peek(']')) {
                throw error("expected ']' to close the extras opened at position " + open, pos);
            }
            pos++;
            return extras;
        }

        private String extra() {
            int start = pos;
            String extra = expect(IDENTIFIER, "an extra name");
            try {
                ProjectName.parse(extra);
            } catch (InvalidProjectNameException e) {
                throw error("the extra name " + Echo.quote(extra) + " is not valid", start);
            }
            return extra;
        }

        private VersionSpecifier specifier() {
            boolean parenthesized = peek('(');
            int open = pos;
            if (parenthesized) {
                pos++;
                whitespace();
            }
            StringBuilder clauses = new StringBuilder();
            while (matches(OPERATOR)) {
                int start = pos;
                String op = expect(OPERATOR, "an operator");
                whitespace();
                if (!matches(SPECIFIER_VERSION)) {
                    throw error("expected a version after " + op, pos);
                }
                String version = expect(SPECIFIER_VERSION, "a version");
                try {
                    VersionSpecifier.parse(op + version);
                } catch (InvalidSpecifierException e) {
                    throw error(Echo.quote(op + version) + " is not a PEP 440 version specifier", start);
                }
                clauses.append(op).append(version);
                whitespace();
                if (!peek(',')) {
                    break;
                }
                pos++;
                clauses.append(',');
                whitespace();
            }
            if (parenthesized) {
                whitespace();
                if (!peek(')')) {
                    throw error("expected ')' to close the version specifier opened at position " + open, pos);
                }
                pos++;
            }
            return VersionSpecifier.parse(clauses.toString());
        }

        /** marker := atom (BOOLOP atom)* */
        void marker() {
            if (++depth > 100) {
                throw error("the marker is nested too deeply", pos);
            }
            atom();
            while (matches(BOOLOP)) {
                expect(BOOLOP, "and/or");
                atom();
            }
            depth--;
        }

        private void atom() {
            whitespace();
            if (peek('(')) {
                int open = pos++;
                whitespace();
                marker();
                whitespace();
                if (!peek(')')) {
                    throw error("expected ')' to close the marker expression opened at position " + open, pos);
                }
                pos++;
            } else {
                variable();
                whitespace();
                operator();
                whitespace();
                variable();
            }
            whitespace();
        }

        private void variable() {
            if (matches(VARIABLE)) {
                expect(VARIABLE, "a marker variable");
            } else if (matches(QUOTED)) {
                expect(QUOTED, "a quoted string");
            } else {
                throw error("expected a marker variable or quoted string", pos);
            }
        }

        private void operator() {
            if (matches(IN)) {
                expect(IN, "in");
            } else if (matches(NOT)) {
                expect(NOT, "not");
                if (!isWhitespace()) {
                    throw error("expected whitespace after 'not'", pos);
                }
                whitespace();
                if (!matches(IN)) {
                    throw error("expected 'in' after 'not'", pos);
                }
                expect(IN, "in");
            } else if (matches(OPERATOR)) {
                expect(OPERATOR, "an operator");
            } else {
                throw error("expected a marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", pos);
            }
        }

        void whitespace() {
            while (pos < s.length() && isWhitespace()) {
                pos++;
            }
        }

        private boolean isWhitespace() {
            return pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t');
        }

        private boolean atEnd() {
            return pos >= s.length();
        }

        void expectEnd(String what) {
            if (!atEnd()) {
                throw error("expected " + what, pos);
            }
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private boolean matches(Pattern p) {
            Matcher m = p.matcher(s).region(pos, s.length());
            return m.lookingAt();
        }

        private String expect(Pattern p, String what) {
            Matcher m = p.matcher(s).region(pos, s.length());
            if (!m.lookingAt()) {
                throw error("expected " + what, pos);
            }
            pos = m.end();
            return m.group();
        }

        private InvalidRequirementException error(String message, int at) {
            return new InvalidRequirementException(message + " at position " + at);
        }
    }
}
