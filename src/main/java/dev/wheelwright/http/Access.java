package dev.wheelwright.http;

import dev.wheelwright.auth.AuthenticationRequiredException;
import dev.wheelwright.auth.NotAllowedException;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.auth.TokenService;
import dev.wheelwright.common.Sha256;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from: HTTP Basic with user {@code __token__} and the token as password (what pip and twine
 * send), or {@code Authorization: Bearer TOKEN}. Credentials that are present but wrong are always 401, so pip
 * asks its keyring instead of silently using anonymous access.
 */
final class Access {
    private static final String ATTRIBUTE = "wheelwright.principal";
    /** Paths any prober may read without credentials: they say only whether the process and its store answer. */
    static final Set<String> PUBLIC_PATHS =
            Set.of("/healthz", "/readyz", WebRoutes.SIGN_IN, WebRoutes.STYLESHEET, WebRoutes.SCRIPT, WebRoutes.ICON);
    /** The browser session: the token itself, in an HttpOnly, SameSite=Strict cookie set by the sign-in form. */
    static final String SESSION_COOKIE = "wheelwright_token";
    /** Where a request authenticated by the session cookie carries its CSRF token: a form field or this header. */
    static final String CSRF_FIELD = "csrf";

    static final String CSRF_HEADER = "X-CSRF-Token";

    private final TokenService tokens;
    private final boolean anonymousRead;
    /** Paths that check a credential of their own instead of the read guard ({@code /metrics} with a metrics token). */
    private final Set<String> ownCredentialPaths;

    Access(TokenService tokens, boolean anonymousRead) {
        this(tokens, anonymousRead, Set.of());
    }

    Access(TokenService tokens, boolean anonymousRead, Set<String> ownCredentialPaths) {
        this.tokens = Objects.requireNonNull(tokens);
        this.anonymousRead = anonymousRead;
        this.ownCredentialPaths = Set.copyOf(ownCredentialPaths);
    }

    /** The requester, for reads: anonymous is fine unless {@code auth.anonymous-read} is false. */
    Principal reader(Context ctx) {
        Principal p = principal(ctx);
        if (mayRead(p)) {
            return p;
        }
        if (p.isAnonymous()) {
            throw new AuthenticationRequiredException(
                    "This index needs a token to read; use __token__ and a token with scope read.");
        }
        throw new NotAllowedException("The token '" + p.name() + "' has no read scope.");
    }

    /** Whether this principal may read: anonymous when {@code auth.anonymous-read} allows it, a token with read scope. */
    private boolean mayRead(Principal p) {
        return p.isAnonymous() ? anonymousRead : p.has(Scope.READ);
    }

    /**
     * The server-wide read guard, run before every route: every {@code GET}, {@code HEAD} and {@code OPTIONS}
     * outside {@link #PUBLIC_PATHS} needs a read principal, so a route added later (UI, API, metrics) is
     * protected by {@code auth.anonymous-read: false} without doing anything. Routes still call {@link #reader}
     * themselves for the principal (to filter by its project glob); the result is cached per request.
     */
    void guardReads(Context ctx) {
        String method = ctx.method().name();
        if (!(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"))) {
            return; // writes authenticate in their own route: uploads need a token, webhooks a signature
        }
        String path = ctx.path();
        String bare = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (PUBLIC_PATHS.contains(bare) || ownCredentialPaths.contains(bare)) {
            return;
        }
        reader(ctx);
    }

    /** The requester, for uploads: a token is required. */
    Principal uploader(Context ctx) {
        Principal p = principal(ctx);
        if (p.isAnonymous()) {
            throw new AuthenticationRequiredException(
                    "Uploads need a token: use username __token__ and a token with scope upload as password.");
        }
        return p;
    }

    /** The requester, for administration (such as retrying a build): a token with scope admin is required. */
    Principal admin(Context ctx) {
        Principal p = principal(ctx);
        if (p.isAnonymous()) {
            throw new AuthenticationRequiredException(
                    "This needs a token with scope admin; use __token__ and such a token.");
        }
        if (!p.has(Scope.ADMIN)) {
            throw new NotAllowedException("The token '" + p.name() + "' has no admin scope.");
        }
        return p;
    }

    /** The name of the requester if it was already established, for the access log; never authenticates. */
    String principalName(Context ctx) {
        Principal cached = ctx.attribute(ATTRIBUTE);
        return cached == null ? "-" : cached.name();
    }

    /** The principal of this request (parsed once per request). */
    Principal principal(Context ctx) {
        Principal cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        Principal p = parse(ctx);
        ctx.attribute(ATTRIBUTE, p);
        return p;
    }

    /**
     * The CSRF token of a browser session: derived from the session's token (so a page of another site, which cannot
     * read the HttpOnly cookie, cannot know it), never the token itself.
     */
    static String csrfToken(String sessionToken) {
        return Sha256.hex(("wheelwright-csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
    }

    /** The CSRF token to put in this request's forms; empty when it is not signed in through the session cookie. */
    Optional<String> csrf(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(ctx.cookie(SESSION_COOKIE))
                .filter(t -> !t.isBlank())
                .map(Access::csrfToken);
    }

    /** Whether {@code token} is a valid token (the sign-in form); never throws for a bad one. */
    boolean valid(String token) {
        return tokens.authenticate(token).isPresent();
    }

    private Principal parse(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            return session(ctx);
        }
        return fromAuthorization(header);
    }

    /** The principal an {@code Authorization} header names; a wrong or unknown credential is 401. */
    private Principal fromAuthorization(String header) {
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
        String value = space < 0 ? "" : trimmed.substring(space + 1).trim();
        Optional<String> token = switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> basicToken(value);
            case "bearer", "token" -> Optional.of(value);
            default ->
                throw new AuthenticationRequiredException(
                        "Unsupported authorization scheme; use Basic with __token__.");
        };
        return token.flatMap(tokens::authenticate)
                .orElseThrow(() -> new AuthenticationRequiredException("Invalid or unknown token."));
    }

    /**
     * The reader of a {@code GET} or {@code HEAD} that carries no cookie, from its {@code Authorization} header (or
     * none), for {@link HotPath}: empty whenever the request may not read or its credentials are wrong, so that the
     * routes refuse it with their usual answer.
     */
    Optional<Principal> plainReader(String authorization) {
        Principal p;
        try {
            p = authorization == null || authorization.isBlank()
                    ? Principal.ANONYMOUS
                    : fromAuthorization(authorization);
        } catch (AuthenticationRequiredException e) {
            return Optional.empty();
        }
        return mayRead(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * The principal of the session cookie, anonymous without one. A request that changes state (anything but GET,
     * HEAD and OPTIONS) must also carry the session's CSRF token, else it is refused (403): the cookie alone is what a
     * forged cross-site form would send.
     */
    private Principal session(Context ctx) {
        String token = ctx.cookie(SESSION_COOKIE);
        if (token == null || token.isBlank()) {
            return Principal.ANONYMOUS;
        }
        Principal p = tokens.authenticate(token)
                .orElseThrow(() -> new AuthenticationRequiredException(
                        "The sign-in has expired or its token was revoked; sign in again at " + WebRoutes.SIGN_IN
                                + "."));
        String method = ctx.method().name();
        if (!(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"))) {
            String presented = Optional.ofNullable(ctx.header(CSRF_HEADER)).orElseGet(() -> formField(ctx));
            byte[] expected = csrfToken(token).getBytes(StandardCharsets.UTF_8);
            if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                throw new NotAllowedException("Missing or wrong CSRF token; reload the page and try again.");
            }
        }
        return p;
    }

    private static String formField(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return null;
        }
        return ctx.formParam(CSRF_FIELD);
    }

    /**
     * The token in Basic credentials (RFC 7617: {@code Basic base64(user ":" password)}): the password, or the user
     * when the password is empty and the user is a token ({@code ww_…:}). The scheme may be spelt in any case and
     * followed by more than one space (RFC 9110 §11.1); the caller has split it off.
     */
    private static Optional<String> basicToken(String value) {
        String user;
        String password;
        try {
            String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) { // not Base64; no ':' after decoding
            throw new AuthenticationRequiredException("Malformed Basic credentials.");
        }
        if (password.isEmpty() && user.startsWith("ww_")) {
            return Optional.of(user);
        }
        if (password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(password);
    }
}
