package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void matches_githubs_documented_example() {
        // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!"
        WebhookSignature signature = new WebhookSignature("It's a Secret to Everybody");

        assertThat(signature.sign(BODY))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(signature.verifies(BODY, Optional.of(signature.sign(BODY)))).isTrue();
    }

    @Test
    void refuses_missing_malformed_and_wrong_signatures() {
        WebhookSignature signature = new WebhookSignature("s3cret");
        String good = signature.sign(BODY);

        assertThat(signature.verifies(BODY, Optional.empty())).isFalse();
        assertThat(signature.verifies(BODY, Optional.of("sha1=" + good.substring(7))))
                .isFalse();
        assertThat(signature.verifies(BODY, Optional.of("sha256=zz"))).isFalse();
        assertThat(signature.verifies("Hello, World?".getBytes(StandardCharsets.UTF_8), Optional.of(good)))
                .isFalse();
        assertThat(new WebhookSignature("other").verifies(BODY, Optional.of(good)))
                .isFalse();
        assertThat(signature.toString()).doesNotContain("s3cret");
    }
}
