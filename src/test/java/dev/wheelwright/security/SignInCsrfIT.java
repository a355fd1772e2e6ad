package dev.wheelwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #10: the sign-in form resists login CSRF (OWASP: a pre-session token for login forms, and the Origin checked): a page
 * of another site cannot sign a victim's browser into the attacker's token.
 */
class SignInCsrfIT {
    private static final Pattern FIELD = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
    private static final Pattern COOKIE = Pattern.compile("wheelwright_signin=([A-Za-z0-9_-]+);");

    @TempDir
    static Path dir;

    private static TestServer server;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir.resolve("data"));
        token = server.token("reader", Scope.READ);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_form_carries_a_token_matching_a_cookie_sent_only_to_the_sign_in_path() throws Exception {
        HttpResponse<String> form = form();

        String setCookie = form.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("Path=/signin").contains("HttpOnly").contains("SameSite=Strict");
        assertThat(field(form)).isEqualTo(cookie(form)).hasSize(43);
        assertThat(field(form())).as("each browser its own").isNotEqualTo(field(form));
    }

    @Test
    void a_sign_in_with_the_form_token_and_its_cookie_sets_the_session() throws Exception {
        HttpResponse<String> form = form();

        HttpResponse<String> signedIn = post(
                cookie(form),
                "csrf=" + field(form) + "&token=" + token,
                server.url("").replaceAll("/$", ""));

        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(sessionCookies(signedIn)).singleElement().asString().startsWith("wheelwright_token=" + token);
    }

    @Test
    void a_cross_site_post_without_the_cookie_is_refused_and_signs_nobody_in() throws Exception {
        HttpResponse<String> form = form(); // the attacker's own copy: its token is useless without its cookie

        HttpResponse<String> forged = post(null, "csrf=" + field(form) + "&token=" + token, null);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF");
        assertThat(sessionCookies(forged)).isEmpty();
    }

    @Test
    void a_post_without_the_field_or_with_another_value_is_refused() throws Exception {
        HttpResponse<String> form = form();
        String other = field(form());

        assertThat(post(cookie(form), "token=" + token, null).statusCode()).isEqualTo(403);
        HttpResponse<String> mismatched = post(cookie(form), "csrf=" + other + "&token=" + token, null);
        assertThat(mismatched.statusCode()).isEqualTo(403);
        assertThat(sessionCookies(mismatched)).isEmpty();
    }

    @Test
    void a_post_from_a_page_of_another_origin_is_refused_even_with_the_token() throws Exception {
        HttpResponse<String> form = form();

        for (String origin : List.of("http://evil.example", "http://127.0.0.1.evil.example:" + server.port())) {
            HttpResponse<String> forged = post(cookie(form), "csrf=" + field(form) + "&token=" + token, origin);

            assertThat(forged.statusCode()).as(origin).isEqualTo(403);
            assertThat(forged.body()).as(origin).contains("another site");
            assertThat(sessionCookies(forged)).as(origin).isEmpty();
        }
    }

    @Test
    void a_post_the_browser_marks_cross_site_is_refused_even_with_the_token() throws Exception {
        HttpResponse<String> form = form();

        for (String site : List.of("cross-site", "same-site")) {
            HttpResponse<String> forged = server.send(post(cookie(form), "csrf=" + field(form) + "&token=" + token)
                    .header("Sec-Fetch-Site", site)
                    .build());

            assertThat(forged.statusCode()).as(site).isEqualTo(403);
            assertThat(sessionCookies(forged)).as(site).isEmpty();
        }
    }

    @Test
    void our_own_form_which_sends_origin_null_under_no_referrer_signs_in_on_its_token() throws Exception {
        HttpResponse<String> form = form();

        HttpResponse<String> signedIn = server.send(post(cookie(form), "csrf=" + field(form) + "&token=" + token)
                .header("Origin", "null")
                .header("Sec-Fetch-Site", "same-origin")
                .build());
        HttpResponse<String> forged = server.send(post(null, "csrf=" + field(form) + "&token=" + token)
                .header("Origin", "null")
                .build());

        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(sessionCookies(signedIn)).hasSize(1);
        assertThat(forged.statusCode())
                .as("null says nothing: without the cookie it is refused")
                .isEqualTo(403);
    }

    @Test
    void a_wrong_token_with_a_valid_form_is_a_401_with_the_form_again() throws Exception {
        HttpResponse<String> form = form();

        HttpResponse<String> refused = post(cookie(form), "csrf=" + field(form) + "&token=ww_wrong", null);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(field(refused)).isEqualTo(cookie(form));
        assertThat(sessionCookies(refused)).isEmpty();
    }

    private static HttpResponse<String> form() throws Exception {
        HttpResponse<String> r = server.send(
                HttpRequest.newBuilder(URI.create(server.url("/signin"))).build());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    private static HttpResponse<String> post(String cookie, String body, String origin) throws Exception {
        HttpRequest.Builder b = post(cookie, body);
        if (origin != null) {
            b.header("Origin", origin);
        }
        return server.send(b.build());
    }

    private static HttpRequest.Builder post(String cookie, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/signin")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        body.replace(token, URLEncoder.encode(token, StandardCharsets.UTF_8))));
        if (cookie != null) {
            b.header("Cookie", "wheelwright_signin=" + cookie);
        }
        return b;
    }

    private static String field(HttpResponse<String> page) {
        Matcher m = FIELD.matcher(page.body());
        assertThat(m.find()).as("a csrf field in the form").isTrue();
        return m.group(1);
    }

    private static String cookie(HttpResponse<String> page) {
        Matcher m = COOKIE.matcher(page.headers().firstValue("Set-Cookie").orElse(""));
        assertThat(m.find()).as("a wheelwright_signin cookie").isTrue();
        return m.group(1);
    }

    private static List<String> sessionCookies(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("wheelwright_token="))
                .toList();
    }
}
