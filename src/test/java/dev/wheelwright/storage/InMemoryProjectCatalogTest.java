package dev.wheelwright.storage;

class InMemoryProjectCatalogTest extends ProjectCatalogContract {
    @Override
    protected ProjectCatalog newCatalog() {
        return new InMemoryProjectCatalog();
    }
}
