package dev.wheelwright.source;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret of webhooks: GitHub-style signatures ({@code sha256=<hex HMAC-SHA256 of the raw body>} keyed with
 * the secret) and GitLab's plain token, both compared in constant time. Immutable and thread-safe; the secret is never shown.
 */
public final class WebhookSignature {
    private static final String PREFIX = "sha256=";

    private final byte[] secret;

    public WebhookSignature(String secret) {
        Objects.requireNonNull(secret);
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("webhook secret must not be empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The header value for {@code body}. */
    public String sign(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(body));
    }

    /** Whether {@code header} is the signature of {@code body}; a missing or malformed header is not. */
    public boolean verifies(byte[] body, Optional<String> header) {
        if (header.isEmpty() || !header.get().startsWith(PREFIX)) {
            return false;
        }
        byte[] sent;
        try {
            sent = HexFormat.of()
                    .parseHex(header.get().substring(PREFIX.length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(body), sent);
    }

    /** Whether {@code token} is the secret itself (GitLab's {@code X-Gitlab-Token}), compared in constant time. */
    public boolean isSecret(String token) {
        return MessageDigest.isEqual(secret, token.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[secret hidden]";
    }
}
