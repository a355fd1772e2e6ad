package dev.wheelwright.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.common.Json;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.FileProvenance;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.storage.InMemoryProvenanceStore;
import dev.wheelwright.storage.ProvenanceStoreContract;
import dev.wheelwright.storage.StorageFixtures;
import dev.wheelwright.storage.StoredFile;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProvenanceServiceTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final ProjectName DEMO = ProjectName.parse("demo");

    private final InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();
    private final InMemoryProvenanceStore store = new InMemoryProvenanceStore();
    private final ProvenanceService service =
            new ProvenanceService(store, catalog, SigningKey.loadOrCreate(store, Instant.EPOCH), JSON);

    @Test
    void the_signed_statement_names_the_stored_bytes_and_verifies_with_the_public_key() throws Exception {
        StoredFile wheel = stored(true);

        JsonNode object = JSON.readTree(service.provenanceObject(DEMO, wheel.filename(), Principal.ANONYMOUS));

        JsonNode envelope = object.get("attestation_bundles")
                .get(0)
                .get("attestations")
                .get(0)
                .get("envelope");
        byte[] statement = Base64.getDecoder().decode(envelope.get("statement").asText());
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(service.key().publicKeyDer())));
        verifier.update(Dsse.pae(Dsse.IN_TOTO, statement));
        assertThat(verifier.verify(
                        Base64.getDecoder().decode(envelope.get("signature").asText())))
                .isTrue();
        JsonNode s = JSON.readTree(statement);
        assertThat(s.get("subject").get(0).get("digest").get("sha256").asText()).isEqualTo(wheel.sha256());
        assertThat(s.at("/predicate/buildDefinition/resolvedDependencies/0/digest/gitTag")
                        .asText())
                .isEqualTo("f".repeat(40));
        assertThat(s.at("/predicate/buildDefinition/resolvedDependencies/1/uri").asText())
                .isEqualTo("pkg:pypi/build@1.2.1");
        assertThat(s.at("/predicate/runDetails/metadata/finishedOn").asText())
                .isEqualTo(StorageFixtures.micros(StorageFixtures.T0.plusSeconds(7))
                        .toString());
    }

    @Test
    void the_same_file_gets_the_same_bytes_every_time() {
        StoredFile wheel = stored(true);

        assertThat(service.provenanceObject(DEMO, wheel.filename(), Principal.ANONYMOUS))
                .isEqualTo(service.provenanceObject(DEMO, wheel.filename(), Principal.ANONYMOUS));
    }

    @Test
    void provenance_of_other_bytes_than_the_stored_ones_is_not_shown() {
        StoredFile wheel = stored(false);

        assertThat(service.origins(DEMO, Principal.ANONYMOUS)).isEmpty();
        assertThatThrownBy(() -> service.provenanceObject(DEMO, wheel.filename(), Principal.ANONYMOUS))
                .isInstanceOf(ProvenanceNotFoundException.class);
    }

    @Test
    void a_principal_limited_to_other_projects_sees_none() {
        StoredFile wheel = stored(true);
        Principal other = new Principal("acme", Set.of(), Optional.of(Pattern.compile("acme-.*")));

        assertThat(service.origins(DEMO, Principal.ANONYMOUS)).containsOnlyKeys(wheel.filename());
        assertThat(service.origins(DEMO, other)).isEmpty();
        assertThatThrownBy(() -> service.provenanceObject(DEMO, wheel.filename(), other))
                .isInstanceOf(ProvenanceNotFoundException.class);
    }

    @Test
    void a_second_start_on_the_store_signs_with_the_same_key() {
        assertThat(SigningKey.loadOrCreate(store, Instant.EPOCH).keyId())
                .isEqualTo(service.key().keyId());
    }

    /** A stored wheel of demo 1.0 whose recorded provenance names its bytes, or other bytes. */
    private StoredFile stored(boolean sameBytes) {
        StoredFile wheel = StorageFixtures.wheel("demo", "1.0", StorageFixtures.T0);
        catalog.addFile(wheel, "demo", "");
        FileProvenance p = ProvenanceStoreContract.provenance(
                "demo", wheel.filename(), sameBytes ? wheel.sha256() : "0".repeat(64), Optional.of("f".repeat(40)));
        store.putProvenance(p);
        return wheel;
    }
}
