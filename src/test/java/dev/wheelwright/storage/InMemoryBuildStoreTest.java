package dev.wheelwright.storage;

class InMemoryBuildStoreTest extends BuildStoreContract {
    @Override
    protected BuildStore newBuildStore() {
        return new InMemoryBuildStore();
    }
}
