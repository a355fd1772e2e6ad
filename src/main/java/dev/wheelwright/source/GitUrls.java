package dev.wheelwright.source;

import java.net.URI;
import java.util.Locale;

/** Helpers for remote URLs: a form safe to show (no credentials) and a form to compare webhook payloads with. */
public final class GitUrls {
    private GitUrls() {}

    /** The URL without user info ({@code https://user:secret@host/x.git} → {@code https://host/x.git}). */
    public static String redact(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
    }

    /**
     * A key under which the same repository compares equal whatever URL form names it: no credentials, no scheme
     * for network URLs, host in lower case, no trailing {@code /} or {@code .git}; scp-like {@code git@host:path}
     * becomes {@code host/path}.
     */
    public static String key(String url) {
        String u = redact(url.strip());
        String result;
        if (u.startsWith("file:")) {
            result = "file:" + URI.create(u.replace(" ", "%20")).normalize().getPath();
        } else {
            int scheme = u.indexOf("://");
            if (scheme >= 0) {
                String rest = u.substring(scheme + 3);
                int slash = rest.indexOf('/');
                String host = slash < 0 ? rest : rest.substring(0, slash);
                String path = slash < 0 ? "" : rest.substring(slash);
                host = host.toLowerCase(Locale.ROOT).replaceFirst(":(22|80|443|9418)$", "");
                result = host + path;
            } else if (u.matches("[^/:]+:.*")) {
                int colon = u.indexOf(':');
                String host = u.substring(0, colon);
                host = host.substring(host.indexOf('@') + 1);
                result = host.toLowerCase(Locale.ROOT) + "/" + u.substring(colon + 1);
            } else {
                result = u;
            }
        }
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        if (result.endsWith(".git")) {
            result = result.substring(0, result.length() - 4);
        }
        return result;
    }
}
