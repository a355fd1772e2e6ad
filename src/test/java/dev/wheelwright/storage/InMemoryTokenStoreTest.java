package dev.wheelwright.storage;

class InMemoryTokenStoreTest extends TokenStoreContract {
    @Override
    protected TokenStore newTokenStore() {
        return new InMemoryTokenStore();
    }
}
