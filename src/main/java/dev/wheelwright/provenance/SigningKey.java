package dev.wheelwright.provenance;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.SigningKeyRecord;
import dev.wheelwright.storage.StorageException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's Ed25519 signing key (RFC 8032), kept in the metadata store so every replica of one store signs with
 * the same key: the first server to start without one makes it, and a concurrent first start of another replica
 * takes the one that was stored first. Thread-safe.
 */
public final class SigningKey {
    /** The JCA name of the algorithm, as stored. */
    public static final String ALGORITHM = "Ed25519";

    private final KeyPair pair;

    private SigningKey(KeyPair pair) {
        this.pair = Objects.requireNonNull(pair);
    }

    /** The store's key, made and stored first when it has none. */
    public static SigningKey loadOrCreate(ProvenanceStore store, Instant now) {
        Optional<SigningKeyRecord> stored = store.signingKey();
        if (stored.isPresent()) {
            return decode(stored.get());
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Java 17 has Ed25519", e);
        }
        Base64.Encoder base64 = Base64.getEncoder();
        SigningKeyRecord made = new SigningKeyRecord(
                ALGORITHM,
                base64.encodeToString(pair.getPublic().getEncoded()),
                base64.encodeToString(pair.getPrivate().getEncoded()),
                now);
        return decode(store.addSigningKey(made).orElse(made));
    }

    private static SigningKey decode(SigningKeyRecord record) {
        if (!record.algorithm().equals(ALGORITHM)) {
            throw new StorageException("the stored signing key is " + record.algorithm() + ", not " + ALGORITHM);
        }
        try {
            KeyFactory keys = KeyFactory.getInstance(ALGORITHM);
            Base64.Decoder base64 = Base64.getDecoder();
            PublicKey publicKey = keys.generatePublic(new X509EncodedKeySpec(base64.decode(record.publicKey())));
            PrivateKey privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(base64.decode(record.privateKey())));
            return new SigningKey(new KeyPair(publicKey, privateKey));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new StorageException("the stored signing key cannot be read", e);
        }
    }

    /** The Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(pair.getPrivate());
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an Ed25519 key signs", e);
        }
    }

    /** The public key as X.509 SubjectPublicKeyInfo DER. */
    public byte[] publicKeyDer() {
        return pair.getPublic().getEncoded();
    }

    /** The key's id: the lower-case hex sha256 of {@link #publicKeyDer()}. */
    public String keyId() {
        return Sha256.hex(publicKeyDer());
    }

    /** The public key in PEM ({@code -----BEGIN PUBLIC KEY-----}), as OpenSSL and Python's cryptography read it. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKeyDer())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
