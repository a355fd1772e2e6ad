package dev.wheelwright.builds.pip;

import dev.wheelwright.builds.BuildFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One subprocess of a build: an argv list with exactly the given environment, stdout and stderr appended to the
 * build log (up to a byte budget; the rest is read and dropped, so the process never blocks on a full pipe), a
 * deadline after which the process and its descendants are killed, and an optional directory whose total size is
 * bounded while the process runs.
 */
final class BuildProcess {
    private static final long SIZE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private BuildProcess() {}

    /** A directory that must stay under {@code maxBytes} while the process runs. */
    record Watched(Path dir, long maxBytes) {}

    /**
     * Runs the command and returns its exit code. A timeout, an oversized {@code watched} directory or an interrupt
     * kills the process tree and throws {@link BuildFailedException} (on an interrupt the flag is set again).
     */
    static int run(
            List<String> argv,
            Map<String, String> environment,
            Path workingDir,
            Path log,
            long logBudget,
            Duration timeout,
            Optional<Watched> watched) {
        ProcessBuilder pb =
                new ProcessBuilder(argv).directory(workingDir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process process;
        OutputStream logOut;
        try {
            logOut = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BuildFailedException("The build log cannot be written.", e);
        }
        try (OutputStream out = logOut) {
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new BuildFailedException("Cannot start " + argv.get(0) + ": " + e.getMessage(), e);
            }
            process.getOutputStream().close();
            Thread pump = new Thread(() -> copyBounded(process.getInputStream(), out, logBudget), "build-log-pump");
            pump.setDaemon(true);
            pump.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextSizeCheck = System.nanoTime() + SIZE_CHECK_NANOS;
            try {
                while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    long now = System.nanoTime();
                    if (now - deadline > 0) {
                        kill(process);
                        throw new BuildFailedException("The build timed out after " + describe(timeout) + ".");
                    }
                    if (watched.isPresent() && now - nextSizeCheck > 0) {
                        nextSizeCheck = now + SIZE_CHECK_NANOS;
                        if (size(watched.get().dir()) > watched.get().maxBytes()) {
                            kill(process);
                            throw tooLarge(watched.get().maxBytes());
                        }
                    }
                }
                pump.join(TimeUnit.SECONDS.toMillis(10)); // the pipe closes when the last writer exits
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new BuildFailedException("The build was interrupted.");
            }
            if (watched.isPresent() && size(watched.get().dir()) > watched.get().maxBytes()) {
                throw tooLarge(watched.get().maxBytes());
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new BuildFailedException("The build log cannot be written.", e);
        }
    }

    private static BuildFailedException tooLarge(long maxBytes) {
        return new BuildFailedException(
                "The build wrote more than " + maxBytes + " bytes of artifacts " + "(build.max-output-size).");
    }

    private static void copyBounded(InputStream in, OutputStream out, long budget) {
        byte[] buffer = new byte[8192];
        long written = 0;
        boolean truncated = false;
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (written < budget) {
                    int keep = (int) Math.min(n, budget - written);
                    out.write(buffer, 0, keep);
                    written += keep;
                    out.flush();
                } else if (!truncated) {
                    truncated = true;
                    out.write(("\n[output truncated: the log holds at most " + budget
                                    + " bytes of build output (build.max-log-size)]\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the process was killed or the log is gone: nothing more to copy
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0; // removed while walking
                        }
                    })
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }
}
