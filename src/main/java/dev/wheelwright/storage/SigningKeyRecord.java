package dev.wheelwright.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored signing key pair.
 *
 * @param algorithm the JCA algorithm name, e.g. {@code Ed25519}
 * @param publicKey base64 of the X.509 SubjectPublicKeyInfo DER encoding
 * @param privateKey base64 of the PKCS #8 DER encoding
 * @param created when it was made
 */
public record SigningKeyRecord(String algorithm, String publicKey, String privateKey, Instant created) {
    public SigningKeyRecord {
        Objects.requireNonNull(algorithm);
        Objects.requireNonNull(publicKey);
        Objects.requireNonNull(privateKey);
        Objects.requireNonNull(created);
    }

    @Override
    public String toString() { // never the private half in a log line or message
        return "SigningKeyRecord[" + algorithm + ", " + publicKey + ", created " + created + "]";
    }
}
