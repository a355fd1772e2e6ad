package dev.wheelwright.storage;

class InMemoryProvenanceStoreTest extends ProvenanceStoreContract {
    @Override
    protected ProvenanceStore newProvenanceStore() {
        return new InMemoryProvenanceStore();
    }
}
