package dev.wheelwright.storage;

class InMemoryMetadataStoreTest extends MetadataStoreContract {
    @Override
    protected MetadataStore newStore() {
        return new InMemoryMetadataStore();
    }
}
