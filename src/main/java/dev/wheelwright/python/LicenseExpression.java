package dev.wheelwright.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Syntax check of an SPDX license expression ({@code License-Expression}, core metadata 2.4, PEP 639; SPDX 2.3
 * Annex D).
 *
 * <p>Contract: {@link #check(String)} accepts {@code compound := term (OR term)*}, {@code term := factor (AND
 * factor)*}, {@code factor := '(' compound ')' | license [WITH exception]}, where a license is an SPDX idstring
 * ({@code [A-Za-z0-9.-]+}, optionally followed by {@code +}), {@code LicenseRef-idstring} or
 * {@code DocumentRef-idstring:LicenseRef-idstring}, and an exception is an idstring, {@code AdditionRef-idstring} or
 * its {@code DocumentRef-} form. Operators are matched case-insensitively, as packaging does. License ids are not
 * looked up in the SPDX list: {@code Foo-1.0} is syntactically fine. Stateless and thread safe.
 */
public final class LicenseExpression {
    private static final Pattern IDSTRING = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern LICENSE_REF =
            Pattern.compile("(?i:(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-)[A-Za-z0-9.-]+");
    private static final Pattern ADDITION_REF =
            Pattern.compile("(?i:(DocumentRef-[A-Za-z0-9.-]+:)?AdditionRef-)[A-Za-z0-9.-]+");
    private static final int MAX_LENGTH = 4096;

    private final List<String> tokens;
    private int next;
    private int depth;

    private LicenseExpression(List<String> tokens) {
        this.tokens = tokens;
    }

    /**
     * Checks the syntax of {@code expression}.
     *
     * @throws InvalidMetadataException naming {@code License-Expression} if it is not a valid SPDX expression
     */
    public static void check(String expression) {
        Objects.requireNonNull(expression, "expression");
        if (expression.length() > MAX_LENGTH) {
            throw invalid(expression, "it is longer than " + MAX_LENGTH + " characters");
        }
        List<String> tokens = tokenize(expression);
        if (tokens.isEmpty()) {
            throw invalid(expression, "it is empty");
        }
        LicenseExpression parser = new LicenseExpression(tokens);
        parser.compound(expression);
        if (parser.next < tokens.size()) {
            throw invalid(expression, "unexpected " + Echo.quote(tokens.get(parser.next)));
        }
    }

    private static List<String> tokenize(String expression) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '(' || c == ')' || c == ' ' || c == '\t') {
                if (word.length() > 0) {
                    tokens.add(word.toString());
                    word.setLength(0);
                }
                if (c == '(' || c == ')') {
                    tokens.add(String.valueOf(c));
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    private void compound(String whole) {
        if (++depth > 100) {
            throw invalid(whole, "it is nested too deeply");
        }
        term(whole);
        while (isOperator("OR")) {
            next++;
            term(whole);
        }
        depth--;
    }

    private void term(String whole) {
        factor(whole);
        while (isOperator("AND")) {
            next++;
            factor(whole);
        }
    }

    private void factor(String whole) {
        if (next >= tokens.size()) {
            throw invalid(whole, "it ends where a license was expected");
        }
        String token = tokens.get(next);
        if (token.equals("(")) {
            next++;
            compound(whole);
            if (next >= tokens.size() || !tokens.get(next).equals(")")) {
                throw invalid(whole, "a parenthesis is not closed");
            }
            next++;
            return;
        }
        license(whole, token);
        next++;
        if (isOperator("WITH")) {
            next++;
            if (next >= tokens.size()) {
                throw invalid(whole, "WITH is not followed by an exception");
            }
            String exception = tokens.get(next);
            if (!(IDSTRING.matcher(exception).matches()
                            || ADDITION_REF.matcher(exception).matches())
                    || isKeyword(exception)) {
                throw invalid(whole, Echo.quote(exception) + " is not a license exception id");
            }
            next++;
        }
    }

    private static void license(String whole, String token) {
        if (isKeyword(token) || token.equals(")")) {
            throw invalid(whole, "expected a license id, found " + Echo.quote(token));
        }
        if (LICENSE_REF.matcher(token).matches()) {
            return;
        }
        String lower = token.toLowerCase(Locale.ROOT);
        if (lower.startsWith("licenseref-") || lower.startsWith("documentref-")) {
            throw invalid(whole, Echo.quote(token) + " is not LicenseRef- followed by letters, digits, '.' or '-'");
        }
        String id = token.endsWith("+") ? token.substring(0, token.length() - 1) : token;
        if (!IDSTRING.matcher(id).matches()) {
            throw invalid(
                    whole, Echo.quote(token) + " is not a license id (letters, digits, '.' and '-'), nor LicenseRef-");
        }
    }

    private boolean isOperator(String operator) {
        return next < tokens.size() && tokens.get(next).equalsIgnoreCase(operator);
    }

    private static boolean isKeyword(String token) {
        String upper = token.toUpperCase(Locale.ROOT);
        return upper.equals("AND") || upper.equals("OR") || upper.equals("WITH");
    }

    private static InvalidMetadataException invalid(String expression, String reason) {
        return new InvalidMetadataException(
                "License-Expression", expression, "not a valid SPDX license expression, " + reason);
    }
}
