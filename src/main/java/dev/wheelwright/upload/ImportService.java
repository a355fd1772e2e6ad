package dev.wheelwright.upload;

import dev.wheelwright.errors.WheelwrightException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Imports many distribution files at once (the CLI's {@code import}), each checked by the rules of
 * {@link UploadService#importFile}. Worker threads read and check the files and put their bytes in the blob store,
 * where they are durable before the worker lets go of them; the calling thread then records them in the catalog in
 * batches of up to {@code batchSize}, one transaction each, so a thousand files cost one commit rather than a
 * thousand. No file is recorded before its bytes are durable: a crash loses at most the batch being recorded (its
 * bytes are stored but unreferenced, and {@code gc} removes them), and importing again records what is missing. A
 * refused file is reported and does not keep the others of its batch out. One import at a time per instance.
 */
public final class ImportService {
    private final UploadService uploads;
    private final int threads;
    private final int batchSize;

    /** Hears what became of each file; called from one thread at a time. */
    public interface Listener {
        /** The file is recorded: stored now, or found already there. */
        void accepted(Path file, UploadService.Result result);

        /** The file was refused; nothing of it is recorded. */
        void refused(Path file, WheelwrightException reason);
    }

    /**
     * @param threads files read, checked and written at once (their disk flushes overlap)
     * @param batchSize most files recorded in one catalog transaction; also how many checked files may wait for it
     */
    public ImportService(UploadService uploads, int threads, int batchSize) {
        if (threads < 1 || batchSize < 1) {
            throw new IllegalArgumentException("threads and batch size must be positive");
        }
        this.uploads = Objects.requireNonNull(uploads);
        this.threads = threads;
        this.batchSize = batchSize;
    }

    /**
     * Imports {@code files} as {@code uploadedBy}, telling {@code listener} about each; returns when every file is
     * recorded or refused. An unexpected failure (a bug, not a refused file) stops the import and is thrown once the
     * files already checked are recorded.
     */
    public void importFiles(List<Path> files, String uploadedBy, Listener listener) throws InterruptedException {
        Objects.requireNonNull(uploadedBy);
        Listener serialized = serialized(Objects.requireNonNull(listener));
        List<Path> all = List.copyOf(files);
        BlockingQueue<UploadService.Pending> checked = new ArrayBlockingQueue<>(batchSize);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> crash = new AtomicReference<>();
        int workers = Math.max(1, Math.min(threads, all.size()));
        CountDownLatch staging = new CountDownLatch(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            for (int w = 0; w < workers; w++) {
                pool.execute(() -> {
                    try {
                        stageAll(all, next, uploadedBy, checked, crash, serialized);
                    } finally {
                        staging.countDown();
                    }
                });
            }
            List<UploadService.Pending> batch = new ArrayList<>(batchSize);
            while (true) {
                UploadService.Pending first = checked.poll(20, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (staging.getCount() == 0 && checked.isEmpty()) {
                        break;
                    }
                    continue;
                }
                // whatever was checked while the last batch was recorded goes into this one: no waiting to fill it
                batch.add(first);
                checked.drainTo(batch, batchSize - 1);
                uploads.recordImports(
                        batch,
                        (p, result) -> serialized.accepted(p.source(), result),
                        (p, reason) -> serialized.refused(p.source(), reason));
                batch.clear();
            }
        } finally {
            pool.shutdownNow();
        }
        if (crash.get() != null) {
            throw crash.get();
        }
    }

    private void stageAll(
            List<Path> all,
            AtomicInteger next,
            String uploadedBy,
            BlockingQueue<UploadService.Pending> checked,
            AtomicReference<RuntimeException> crash,
            Listener listener) {
        try (UploadService.Scratch scratch = uploads.newScratch()) {
            for (int i = next.getAndIncrement(); i < all.size() && crash.get() == null; i = next.getAndIncrement()) {
                Path file = all.get(i);
                try {
                    UploadService.Staged staged = uploads.stageImport(file, uploadedBy, scratch);
                    if (staged.present().isPresent()) {
                        listener.accepted(file, staged.present().get());
                    } else {
                        checked.put(staged.addition().orElseThrow());
                    }
                } catch (WheelwrightException e) {
                    listener.refused(file, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the import is being stopped
        } catch (RuntimeException e) { // a worker loop: a bug stops the import, reported by importFiles
            crash.compareAndSet(null, e);
        }
    }

    private static Listener serialized(Listener listener) {
        return new Listener() {
            @Override
            public synchronized void accepted(Path file, UploadService.Result result) {
                listener.accepted(file, result);
            }

            @Override
            public synchronized void refused(Path file, WheelwrightException reason) {
                listener.refused(file, reason);
            }
        };
    }
}
