package dev.wheelwright.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback TCP relay in front of an HTTP server that flips the first body byte of the requests whose request line
 * (e.g. {@code PUT /bucket/key?partNumber=2&uploadId=… HTTP/1.1}) matches a predicate, and relays everything else
 * unchanged: a network path that corrupts uploads. Requests must carry a {@code Content-Length} (the S3 client's do);
 * responses are relayed as they come. Closing stops it.
 */
public final class CorruptingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final Predicate<String> corrupt;
    private final AtomicInteger corrupted = new AtomicInteger();

    public CorruptingProxy(URI target, Predicate<String> corrupt) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.corrupt = corrupt;
        Thread accept = new Thread(this::acceptLoop, "corrupting-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** The proxy's address, to use as the endpoint instead of the target's. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** How many request bodies were corrupted so far. */
    public int corrupted() {
        return corrupted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getHost(), target.getPort());
                daemon(() -> relay(upstream, client));
                daemon(() -> requests(client, upstream));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "corrupting-proxy-relay");
        t.setDaemon(true);
        t.start();
    }

    private static void relay(Socket from, Socket to) {
        try (from;
                to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed: the other closes with it
        }
    }

    private void requests(Socket client, Socket upstream) {
        try (client;
                upstream) {
            InputStream in = client.getInputStream();
            OutputStream out = upstream.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String requestLine = text.substring(0, text.indexOf("\r\n"));
                long length = contentLength(text);
                out.write(head);
                out.flush();
                boolean flip = length > 0 && corrupt.test(requestLine);
                if (flip) {
                    corrupted.incrementAndGet();
                }
                byte[] buffer = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        return;
                    }
                    if (flip) {
                        buffer[0] ^= 0x01;
                        flip = false;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    left -= n;
                }
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    /** The request line and headers up to the blank line, or null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
