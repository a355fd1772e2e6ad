package dev.wheelwright.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one storage-error meter every backend counts in: {@code wheelwright_storage_errors_total{store,operation}},
 * {@code store} being {@code metadata} or {@code artifacts} and {@code operation} {@code read} or {@code write}.
 */
public final class StorageErrors {
    private StorageErrors() {}

    /** The counter of failed operations of one kind on one store. */
    public static Counter counter(MeterRegistry meters, String store, String operation) {
        return Counter.builder("wheelwright.storage.errors")
                .description("Storage operations that failed (database or artifact store unreachable, I/O errors).")
                .tag("store", store)
                .tag("operation", operation)
                .register(meters);
    }
}
