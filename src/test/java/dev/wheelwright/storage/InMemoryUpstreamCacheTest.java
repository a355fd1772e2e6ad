package dev.wheelwright.storage;

/** The in-memory cache and catalog are separate objects: nothing is shared between them by construction. */
class InMemoryUpstreamCacheTest extends UpstreamCacheContract {
    private ProjectCatalog besideCache;

    @Override
    protected UpstreamCache newCache() {
        besideCache = new InMemoryProjectCatalog();
        return new InMemoryUpstreamCache();
    }

    @Override
    protected ProjectCatalog catalogBesideCache() {
        return besideCache;
    }
}
