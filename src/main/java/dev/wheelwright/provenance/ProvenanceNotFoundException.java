package dev.wheelwright.provenance;

import dev.wheelwright.errors.WheelwrightException;

/** The file asked for has no provenance here: it was uploaded, not built, or it is not in this index. */
public class ProvenanceNotFoundException extends WheelwrightException {
    public ProvenanceNotFoundException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
