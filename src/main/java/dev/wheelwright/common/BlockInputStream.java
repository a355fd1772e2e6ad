package dev.wheelwright.common;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} that reads in blocks only: a subclass implements {@link #read(byte[], int, int)}, and the
 * single-byte {@link #read()} is a one-byte block read, so both go through the same code (waits, limits, timeouts).
 */
public abstract class BlockInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
