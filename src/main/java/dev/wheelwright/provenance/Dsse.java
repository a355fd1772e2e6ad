package dev.wheelwright.provenance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DSSE v1 (github.com/secure-systems-lab/dsse, protocol.md): what a signature of an envelope covers. */
public final class Dsse {
    /** The payload type of an in-toto statement. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    private Dsse() {}

    /**
     * The pre-authentication encoding: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths as ASCII
     * decimal byte counts.
     */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
