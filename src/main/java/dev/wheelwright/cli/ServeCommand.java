package dev.wheelwright.cli;

import dev.wheelwright.config.WheelwrightConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code serve}: runs the server until the process is stopped (SIGTERM closes it gracefully). */
@Command(name = "serve", description = "run the server")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    private final WheelwrightCommand top;

    ServeCommand(WheelwrightCommand top) {
        this.top = Objects.requireNonNull(top);
    }

    @Override
    public Integer call() {
        WheelwrightConfig config;
        Wiring.Running running;
        try (StartWarmup warmup = StartWarmup.begin()) {
            config = top.config();
            warmup.afterConfig(config.storage().metadata().type().equals("sqlite"));
            LogFormat.apply(config.logging().format(), config.logging().access());
            running = Wiring.start(config, top.env(), Optional.empty());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("shutting down");
                            running.close();
                            stopped.countDown();
                        },
                        "wheelwright-shutdown"));
        log.info(
                "wheelwright serving http://{}:{}/simple/ (data in {}, anonymous read {})",
                config.server().host(),
                running.port(),
                running.dataDir(),
                config.auth().anonymousRead());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
