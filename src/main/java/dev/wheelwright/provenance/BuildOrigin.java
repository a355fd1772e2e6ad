package dev.wheelwright.provenance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provenance of one built file as the JSON API and the release page show it.
 *
 * @param record every recorded fact, as the JSON API writes it: {@code source} (repository, tag, tag_object, commit,
 *     subdirectory, sha256 of the exported tree), {@code builder} (wheelwright, host, backend, backend_version,
 *     python, environment: id, requires, installed), {@code started}, {@code finished}
 * @param facts the same facts as labelled lines, in the order a page shows them
 */
public record BuildOrigin(Map<String, Object> record, List<Fact> facts) {
    public BuildOrigin {
        record = Collections.unmodifiableMap(new LinkedHashMap<>(record));
        facts = List.copyOf(facts);
    }

    /** One labelled line of a page: {@code value} is shown as code (ids, digests, URLs). */
    public record Fact(String label, String value) {}
}
