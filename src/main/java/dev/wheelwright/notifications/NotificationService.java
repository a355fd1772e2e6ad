package dev.wheelwright.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.common.Shutdown;
import dev.wheelwright.storage.NotificationOutbox;
import dev.wheelwright.storage.PendingNotification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outgoing notifications: each event (an upload, a tag seen, a build that succeeded or failed) is written to the
 * durable outbox for every target that subscribed to it, and a background sender delivers the outbox: a JSON POST with
 * a Slack-compatible {@code text} field, signed like GitHub's {@code X-Hub-Signature-256} when the target has a
 * secret, retried with exponential backoff (1 s, 2 s, 4 s, … at most 1 h apart, {@value #MAX_ATTEMPTS} attempts).
 * Recording an event only writes a row, so no request waits for a receiver; a restart delivers what was pending.
 * Thread-safe.
 */
public final class NotificationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotificationService.class);

    /** The events a target may subscribe to. {@code yank} is accepted; this release has no yank operation yet. */
    public static final Set<String> EVENTS = Set.of("upload", "yank", "tag-seen", "build-succeeded", "build-failed");

    static final int MAX_ATTEMPTS = 16;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofHours(1);
    private static final int BATCH = 50;

    /** One receiver: where, which events, and the HMAC secret (empty: unsigned). */
    public record Target(URI url, Set<String> events, Optional<String> secret) {
        public Target {
            Objects.requireNonNull(url);
            events = Set.copyOf(events);
            Objects.requireNonNull(secret);
        }
    }

    private final List<Target> targets;
    private final NotificationOutbox outbox;
    private final WebhookSender sender;
    private final Clock clock;
    private final ObjectMapper json;
    private final ScheduledExecutorService worker;
    private volatile String serverUrl = "";

    public NotificationService(
            List<Target> targets, NotificationOutbox outbox, WebhookSender sender, Clock clock, ObjectMapper json) {
        this.targets = List.copyOf(targets);
        this.outbox = Objects.requireNonNull(outbox);
        this.sender = Objects.requireNonNull(sender);
        this.clock = Objects.requireNonNull(clock);
        this.json = Objects.requireNonNull(json);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wheelwright-notify");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the sender: what the outbox holds is delivered now, then it is looked at every second (and at once when
     * an event is recorded). {@code serverUrl} (no trailing slash) makes the build log URLs absolute. Call once.
     */
    public NotificationService start(String serverUrl) {
        this.serverUrl = Objects.requireNonNull(serverUrl);
        if (!targets.isEmpty()) {
            worker.scheduleWithFixedDelay(this::deliverDue, 0, 1, TimeUnit.SECONDS);
        }
        return this;
    }

    /** A file was uploaded (stored). */
    public void uploaded(String project, String version, String filename, long size, String uploader) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", project);
        fields.put("version", version);
        fields.put("filename", filename);
        fields.put("size", size);
        fields.put("uploader", uploader);
        record("upload", "Uploaded " + filename + " (" + project + " " + version + ") by " + uploader, fields);
    }

    /** A release was yanked (PEP 592, with its reason) or its yank taken back, by an admin. */
    public void yanked(String project, String version, boolean yanked, String reason, int files, String by) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", project);
        fields.put("version", version);
        fields.put("yanked", yanked);
        if (yanked) {
            fields.put("reason", reason);
        }
        fields.put("files", files);
        fields.put("by", by);
        record(
                "yank",
                (yanked ? "Yanked " : "Unyanked ") + project + " " + version + " (" + files + " files) by " + by
                        + (yanked && !reason.isEmpty() ? ": " + reason : ""),
                fields);
    }

    /** A build changed state: queued for the first time (a tag was seen), succeeded or failed. */
    public void build(BuildRecord build) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", build.project());
        fields.put("version", build.version());
        fields.put("tag", build.tag());
        fields.put("commit", build.commit());
        switch (build.status()) {
            case QUEUED ->
                record(
                        "tag-seen",
                        "Tag " + build.tag() + " of " + build.project() + " seen: building " + build.version(),
                        fields);
            case SUCCEEDED -> {
                fields.put("log_url", logUrl(build));
                record("build-succeeded", "Built " + build.project() + " " + build.version() + ".", fields);
            }
            case FAILED -> {
                String reason = build.reason().orElse("unknown");
                fields.put("reason", reason);
                fields.put("log_url", logUrl(build));
                record(
                        "build-failed",
                        "Build of " + build.project() + " " + build.version() + " failed: " + reason + " Log: "
                                + logUrl(build),
                        fields);
            }
            case RUNNING -> {} // no event
        }
    }

    private String logUrl(BuildRecord build) {
        return serverUrl + "/api/v1/builds/" + build.project() + "/" + build.version() + "/log";
    }

    /** Writes the event to the outbox for each subscribed target; a failure to write is logged, never thrown. */
    private void record(String event, String text, Map<String, Object> fields) {
        List<Target> subscribed =
                targets.stream().filter(t -> t.events().contains(event)).toList();
        if (subscribed.isEmpty()) {
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("text", text);
        body.putAll(fields);
        body.put("time", now.toString());
        String payload;
        try {
            payload = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
        try {
            for (Target t : subscribed) {
                outbox.add(
                        new PendingNotification(0, t.url().toString(), event, payload, now, 0, now, Optional.empty()));
            }
        } catch (RuntimeException e) { // the event itself succeeded; a lost notification must not undo it
            log.error("cannot record the {} notification: {}", event, e.getMessage(), e);
            return;
        }
        try {
            worker.execute(this::deliverDue);
        } catch (RejectedExecutionException e) {
            // closing: the next start delivers it
        }
    }

    /** One pass over the outbox (the worker loop: a failure is logged and the next pass tries again). */
    private void deliverDue() {
        try {
            for (PendingNotification n : outbox.due(clock.instant(), BATCH)) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                deliver(n);
            }
        } catch (RuntimeException e) {
            log.warn("cannot read the notification outbox: {}", e.getMessage());
        }
    }

    private void deliver(PendingNotification n) {
        Optional<Target> target = targets.stream()
                .filter(t -> t.url().toString().equals(n.target()))
                .findFirst();
        if (target.isEmpty()) {
            outbox.gaveUp(n.id(), n.attempts(), clock.instant(), "the target is no longer configured");
            log.warn("notification {} ({}) given up: its target is no longer configured", n.id(), n.event());
            return;
        }
        byte[] body = n.payload().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "wheelwright");
        headers.put("X-Wheelwright-Event", n.event());
        headers.put("X-Wheelwright-Delivery", Long.toString(n.id()));
        target.get().secret().ifPresent(s -> headers.put("X-Hub-Signature-256", signature(s, body)));
        try {
            sender.send(target.get().url(), body, headers);
        } catch (DeliveryFailedException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // shutting down: the attempt does not count, the next start sends it
            }
            int attempts = n.attempts() + 1;
            Instant now = clock.instant();
            if (attempts >= MAX_ATTEMPTS) {
                outbox.gaveUp(n.id(), attempts, now, e.getMessage());
                log.warn(
                        "notification {} ({}) given up after {} attempts: {}",
                        n.id(),
                        n.event(),
                        attempts,
                        e.getMessage());
            } else {
                Instant next = now.plus(backoff(attempts));
                outbox.failed(n.id(), attempts, next, e.getMessage());
                log.warn(
                        "notification {} ({}) not delivered: {}; retry at {}", n.id(), n.event(), e.getMessage(), next);
            }
            return;
        }
        outbox.delivered(n.id());
        log.info("notification {} ({}) delivered after {} failed attempts", n.id(), n.event(), n.attempts());
    }

    /** 1 s after the first failure, doubling, at most {@link #LONGEST_RETRY}. */
    static Duration backoff(int attempts) {
        Duration d = FIRST_RETRY;
        for (int i = 1; i < attempts && d.compareTo(LONGEST_RETRY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
    }

    /** GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the body. */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Stops the sender; a delivery in progress is interrupted and stays pending. */
    @Override
    public void close() {
        if (!Shutdown.stopWithin(worker, Duration.ofSeconds(10))) {
            log.warn("the notification sender did not stop within 10 s");
        }
    }
}
