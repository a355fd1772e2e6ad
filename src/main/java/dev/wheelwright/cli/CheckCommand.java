package dev.wheelwright.cli;

import dev.wheelwright.config.WheelwrightConfig;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.GitUrls;
import dev.wheelwright.source.SourceRepository;
import dev.wheelwright.upload.StorageAudit;
import dev.wheelwright.upstream.UpstreamIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check}: validates the config, opens the storage, reaches the artifact store (a bucket: HEAD with our keys),
 * every upstream and git remote and tries the build
 * toolchain; with {@code --storage} it also lists the stored files that break the upload rules (#14), changing
 * nothing. Reports every problem, then exits 1 if there was one (naming them all on the last line), else 0.
 */
@Command(
        name = "check",
        description = "validate the config, open the storage, reach the upstreams and git remotes, try build.python")
final class CheckCommand implements Callable<Integer> {
    private final WheelwrightCommand top;

    @Option(
            names = "--storage",
            description = "also re-check every stored file against the upload rules and list those that break them"
                    + " (nothing is changed or deleted)")
    private boolean storage;

    CheckCommand(WheelwrightCommand top) {
        this.top = Objects.requireNonNull(top);
    }

    @Override
    public Integer call() {
        WheelwrightConfig config = top.config();
        List<String> problems = new ArrayList<>();
        try (Wiring wiring = new Wiring(config, top.env())) {
            Wiring.Storage storage = wiring.openStorage();
            top.out()
                    .println("config ok; storage ok: "
                            + storage.store().catalog().projects().size() + " projects in "
                            + (config.storage().metadata().type().equals("sqlite")
                                    ? config.storage()
                                            .dataDir()
                                            .toAbsolutePath()
                                            .normalize()
                                    : storage.store().databaseName()));
            try {
                storage.blobs().checkReachable();
                top.out().println("artifacts ok: " + storage.blobs().describe() + " reachable");
            } catch (WheelwrightException e) {
                problems.add("storage.artifacts");
                top.out().println("artifacts NOT usable: " + e.getMessage());
            }
            for (UpstreamIndex upstream : wiring.upstreamIndexes()) {
                try { // any project page will do: pip is on every index that can serve pip's users
                    upstream.page(ProjectName.parse("pip"), Optional.empty(), Optional.empty());
                    top.out().println("upstream " + upstream.name() + " ok");
                } catch (WheelwrightException e) {
                    problems.add("upstream " + upstream.name());
                    top.out().println("upstream " + upstream.name() + " unreachable: " + e.getMessage());
                }
            }
            SourceRepository mirrors = wiring.mirrors(storage);
            for (WheelwrightConfig.GitProject p : config.git().projects()) {
                boolean ok = mirrors.exists(p.url());
                if (!ok) {
                    problems.add("git " + p.name());
                }
                top.out()
                        .println("git " + p.name() + ": " + GitUrls.redact(p.url())
                                + (ok ? " reachable" : " NOT reachable"));
            }
            try {
                top.out().println("build toolchain ok: " + wiring.checkToolchain(storage));
            } catch (WheelwrightException e) {
                problems.add("build.python");
                top.out().println("build toolchain NOT usable: " + e.getMessage());
            }
            if (this.storage) {
                StorageAudit.Report report = wiring.audit(storage).run();
                for (StorageAudit.Finding f : report.findings()) {
                    top.out()
                            .println("stored file " + f.project().normalized() + "/" + f.filename() + ": "
                                    + f.problem());
                }
                top.out()
                        .println("storage audit: " + report.filesChecked() + " files checked, "
                                + report.findings().size() + " break the upload rules");
                if (!report.findings().isEmpty()) {
                    problems.add("stored files");
                }
            }
        }
        if (!problems.isEmpty()) {
            top.out().println(problems.size() + " problem(s): " + String.join(", ", problems));
        }
        return problems.isEmpty() ? 0 : 1;
    }
}
