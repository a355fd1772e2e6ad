package dev.wheelwright.storage.s3;

import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.BlobStoreContract;
import dev.wheelwright.testing.S3TestEndpoint;
import org.junit.jupiter.api.AfterEach;

/** The blob store contract against a real S3 server (see {@link S3TestEndpoint}), plus what only S3 has. */
class S3BlobStoreTest extends BlobStoreContract {
    private S3BlobStore s3;

    @Override
    protected BlobStore newStore() {
        s3 = S3TestEndpoint.get().newBlobStore("contract/");
        return s3;
    }

    @AfterEach
    void closeStore() {
        s3.close();
    }
}
