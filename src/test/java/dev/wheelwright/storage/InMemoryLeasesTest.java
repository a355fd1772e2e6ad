package dev.wheelwright.storage;

class InMemoryLeasesTest extends LeasesContract {
    @Override
    protected Leases newLeases() {
        return new InMemoryLeases();
    }
}
