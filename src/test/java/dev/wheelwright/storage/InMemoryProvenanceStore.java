package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ProvenanceStore} in maps, for service tests. Thread-safe (every method is synchronized); project names kept
 * normalized and instants truncated to microseconds, as in the SQL store.
 */
public final class InMemoryProvenanceStore implements ProvenanceStore {
    private final TreeMap<String, FileProvenance> byFilename = new TreeMap<>();
    private SigningKeyRecord key;

    @Override
    public synchronized void putProvenance(FileProvenance p) {
        byFilename.put(
                p.filename(),
                new FileProvenance(
                        ProjectName.parse(p.project().normalized()),
                        p.version(),
                        p.filename(),
                        p.sha256(),
                        p.source(),
                        p.builder(),
                        p.started().truncatedTo(ChronoUnit.MICROS),
                        p.finished().truncatedTo(ChronoUnit.MICROS)));
    }

    @Override
    public synchronized Optional<FileProvenance> provenance(String filename) {
        return Optional.ofNullable(byFilename.get(filename));
    }

    @Override
    public synchronized List<FileProvenance> provenanceOf(ProjectName project) {
        return byFilename.values().stream()
                .filter(p -> p.project().equals(project))
                .toList();
    }

    @Override
    public synchronized Optional<SigningKeyRecord> signingKey() {
        return Optional.ofNullable(key);
    }

    @Override
    public synchronized Optional<SigningKeyRecord> addSigningKey(SigningKeyRecord added) {
        if (key != null) {
            return Optional.of(key);
        }
        key = new SigningKeyRecord(
                added.algorithm(),
                added.publicKey(),
                added.privateKey(),
                added.created().truncatedTo(ChronoUnit.MICROS));
        return Optional.empty();
    }
}
