package dev.wheelwright.storage.jdbc;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants as BIGINT microseconds since the epoch, the portable timestamp column type of this package. */
final class EpochMicros {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private EpochMicros() {}

    /** The instant truncated to microseconds; sub-microsecond digits are dropped, as the column cannot hold them. */
    static long of(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        return Math.addExact(Math.multiplyExact(micros.getEpochSecond(), MICROS_PER_SECOND), micros.getNano() / 1000);
    }

    static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
    }
}
