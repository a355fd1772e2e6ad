package dev.wheelwright.upstream.http;

import dev.wheelwright.common.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An upstream body whose every read must return within the read timeout: a watchdog closes the underlying stream
 * when one does not (the JDK client's request timeout stops at the response headers), and the read then fails
 * with an {@link IOException} naming the timeout instead of hanging.
 */
final class StallGuardedStream extends BlockInputStream {
    private final InputStream in;
    private final ScheduledExecutorService watchdog;
    private final Duration timeout;
    private volatile boolean stalled;

    StallGuardedStream(InputStream in, ScheduledExecutorService watchdog, Duration timeout) {
        this.in = in;
        this.watchdog = watchdog;
        this.timeout = timeout;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> alarm = watchdog.schedule(this::stall, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            int n = in.read(b, off, len);
            if (stalled) {
                throw stalledException();
            }
            return n;
        } catch (IOException e) {
            if (stalled) {
                throw stalledException();
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private IOException stalledException() {
        return new IOException("the upstream sent nothing for " + timeout.toMillis() + " ms");
    }

    private void stall() {
        stalled = true;
        try {
            in.close();
        } catch (IOException e) {
            // the reader sees the stall either way
        }
    }
}
