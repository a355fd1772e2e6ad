package dev.wheelwright.builds;

import dev.wheelwright.builds.BuildRecord.Status;
import dev.wheelwright.common.FileTrees;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tag-to-installable times of a tiny hatchling project: cold (the first build of the backend creates its environment)
 * and warm (environment reused, project never built), each up to "succeeded" and up to a finished {@code pip install}
 * from the server; against plain {@code python -m build} (isolated, its default) and the backend's own work
 * ({@code python -m build --no-isolation} in the ready environment) on the same tree. Run by scripts/bench-builds.
 */
public final class BuildBenchmark {
    private static final String INDEX = "file:///opt/pypi/simple";
    private static final Map<String, String> PIP_ENV = Map.of("PIP_DEFAULT_TIMEOUT", "15");

    public static void main(String[] args) throws Exception {
        int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int coldRuns = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Files.createTempDirectory("wheelwright-build-bench");
        try {
            List<Double> plain = new ArrayList<>();
            List<Double> own = new ArrayList<>();
            List<Double> coldBuilt = new ArrayList<>();
            List<Double> coldInstalled = new ArrayList<>();
            Path env = null;
            for (int i = 0; i < coldRuns; i++) {
                try (TestServer server = TestServer.start(root.resolve("cold-" + i), config("auto"))) {
                    double[] t = tagToInstallable(server, root, "cold" + i);
                    coldBuilt.add(t[0]);
                    coldInstalled.add(t[1]);
                    env = readyEnvironment(server.running().dataDir());
                    Path tree = SourceProjects.hatchling(root.resolve("plain-" + i), "plain-demo", "1.0.0");
                    plain.add(time(List.of(
                            env.resolve("bin/python").toString(),
                            "-m",
                            "build",
                            "--sdist",
                            "--wheel",
                            "--outdir",
                            root.resolve("plain-out-" + i).toString(),
                            tree.toString())));
                }
            }
            Path tree = SourceProjects.hatchling(root.resolve("own"), "own-demo", "1.0.0");
            for (int i = 0; i < warmRuns; i++) {
                own.add(time(List.of(
                        env.resolve("bin/python").toString(),
                        "-m",
                        "build",
                        "--no-isolation",
                        "--sdist",
                        "--wheel",
                        "--outdir",
                        root.resolve("own-out-" + i).toString(),
                        tree.toString())));
            }
            List<Double> warmBuilt = new ArrayList<>();
            List<Double> warmInstalled = new ArrayList<>();
            List<Double> bareBuilt = new ArrayList<>();
            try (TestServer server = TestServer.start(root.resolve("warm"), config("auto"));
                    TestServer bare = TestServer.start(root.resolve("bare"), config("none"))) {
                tagToInstallable(server, root, "prime");
                tagToInstallable(bare, root, "prime-bare");
                for (int i = 0; i < warmRuns; i++) {
                    double[] t = tagToInstallable(server, root, "warm" + i);
                    warmBuilt.add(t[0]);
                    warmInstalled.add(t[1]);
                    bareBuilt.add(tagToInstallable(bare, root, "bare" + i)[0]);
                }
            }
            System.out.println("| what | n | mean | min | max |");
            System.out.println("| --- | --- | --- | --- | --- |");
            row("plain `python -m build --sdist --wheel` (isolated: makes its own env per build)", plain);
            row("backend's own work: `python -m build --no-isolation` in the ready environment", own);
            row("cold: submit → succeeded (environment created, bubblewrap)", coldBuilt);
            row("cold: submit → `pip install` done", coldInstalled);
            row("warm: submit → succeeded (environment reused, bubblewrap)", warmBuilt);
            row("warm: submit → succeeded (environment reused, no sandbox)", bareBuilt);
            row("warm: submit → `pip install` done", warmInstalled);
            System.out.printf(
                    "warm overhead over the backend's own work: %.3f s with bubblewrap, %.3f s without%n",
                    mean(warmBuilt) - mean(own), mean(bareBuilt) - mean(own));
        } finally {
            FileTrees.delete(root);
        }
    }

    private static String config(String sandbox) {
        return "build: {index-url: \"" + INDEX + "\", sandbox: " + sandbox + "}\n";
    }

    /** Seconds from submit to succeeded, and from submit to a finished pip install of the release. */
    private static double[] tagToInstallable(TestServer server, Path root, String name) throws Exception {
        String project = "bench-" + name;
        Path tree = SourceProjects.hatchling(root.resolve("trees"), project, "1.0.0");
        long t0 = System.nanoTime();
        server.running().builds().submit(SourceProjects.request(project, "1.0.0", "v1.0.0", tree));
        BuildRecord done = server.running()
                .builds()
                .await(project, "1.0.0", Duration.ofMinutes(3))
                .orElseThrow();
        long t1 = System.nanoTime();
        if (done.status() != Status.SUCCEEDED) {
            throw new IllegalStateException(
                    project + " " + done.status() + ": " + done.reason().orElse(""));
        }
        PythonTools.pipInstall(
                        PythonTools.pip23(),
                        server.indexUrl(),
                        root.resolve("installed-" + name),
                        List.of(project + "==1.0.0"),
                        PIP_ENV)
                .requireSuccess("pip install " + project);
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e9, (t2 - t0) / 1e9};
    }

    private static Path readyEnvironment(Path dataDir) throws IOException {
        try (Stream<Path> dirs = Files.list(dataDir.resolve("build-envs"))) {
            return dirs.filter(d -> Files.exists(d.resolve(".ready")))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static double time(List<String> argv) throws Exception {
        long t0 = System.nanoTime();
        PythonTools.run(argv, Map.of("PIP_INDEX_URL", INDEX), 300).requireSuccess(String.join(" ", argv));
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void row(String what, List<Double> seconds) {
        System.out.printf(
                "| %s | %d | %.3f s | %.3f s | %.3f s |%n",
                what,
                seconds.size(),
                mean(seconds),
                seconds.stream().mapToDouble(d -> d).min().orElse(0),
                seconds.stream().mapToDouble(d -> d).max().orElse(0));
    }

    private static double mean(List<Double> seconds) {
        return seconds.stream().mapToDouble(d -> d).average().orElse(0);
    }
}
