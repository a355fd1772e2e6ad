package dev.wheelwright.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The dependency rules of STYLE.md §4 as ArchUnit rules over the real class graph (same-package and fully-qualified
 * uses included), for the packages under {@code root}. {@link ArchitectureTest} applies them to the main classes;
 * {@link ArchitectureRulesTest} shows each one failing on a deliberate violation.
 *
 * <pre>
 * root (Wheelwright, cli: commands and Wiring) ──► http ──► services (index, upload, auth, builds, source, upstream, provenance) ──► ground
 *                                               │ ports (storage, and the port interfaces in service packages)
 *                                               ▼
 *                   adapters (storage.fs, storage.jdbc, source.jgit, source.github, source.hosts, builds.pip, upstream.http, upstream.file)
 * ground: python, errors, common, toml (anyone may use them; they use nothing above them)
 * </pre>
 */
public final class ArchitectureRules {
    /** Service packages: use cases and the ports they define. Exact packages (their adapter subpackages excluded). */
    static final List<String> SERVICES =
            List.of("index", "upload", "auth", "builds", "source", "upstream", "health", "notifications", "provenance");
    /** Adapter packages: the only code that knows a technology (JDBC, files, JGit, HTTP clients, pip). */
    static final List<String> ADAPTERS = List.of(
            "storage.fs",
            "storage.jdbc",
            "storage.s3",
            "source.jgit",
            "source.github",
            "source.hosts",
            "builds.pip",
            "upstream.http",
            "upstream.file",
            "notifications.http");
    /**
     * Libraries no service may touch: they belong to adapters (or, for Javalin and the Prometheus exposition, to http
     * and the composition root). Decision (issue #13): Micrometer's core ({@code io.micrometer.core}) is a facade like
     * SLF4J, so services count and time through a {@code MeterRegistry} they are given; which monitoring system
     * receives the meters (the Prometheus registry and its text format) is not theirs to know.
     */
    static final List<String> TECHNOLOGIES = List.of(
            "io.javalin..",
            "org.eclipse.jgit..",
            "software.amazon..",
            "java.sql..",
            "java.net.http..",
            "io.micrometer.prometheusmetrics..",
            "io.prometheus..");

    private final String root;

    public ArchitectureRules(String root) {
        this.root = root;
    }

    private String pkg(String name) {
        return root + "." + name;
    }

    private String[] packages(List<String> names, String suffix) {
        return names.stream().map(n -> pkg(n) + suffix).toArray(String[]::new);
    }

    /** Every rule, for the main classes, by a short name. */
    public Map<String, ArchRule> all() {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("layers", layers());
        rules.put("feature packages free of cycles", featuresFreeOfCycles());
        rules.put("http never touches storage", httpNeverTouchesStorage());
        rules.put("services use no technology", servicesUseNoTechnology());
        rules.put("source uses no storage", sourceUsesNoStorage());
        rules.put("only the composition root knows Logback", onlyTheRootKnowsLogback());
        List<ArchRule> ground = groundStaysAtTheGround();
        rules.put("python on the JDK alone", ground.get(0));
        rules.put("errors on the JDK alone", ground.get(1));
        rules.put("common on the JDK and Jackson", ground.get(2));
        rules.put("toml on the JDK and Jackson", ground.get(3));
        List<ArchRule> adapters = adaptersKnowOnlyThemselves();
        for (int i = 0; i < ADAPTERS.size(); i++) {
            rules.put("adapter " + ADAPTERS.get(i) + " knows only itself", adapters.get(i));
        }
        return rules;
    }

    /** http → services → ports ← adapters; the root on top; python, errors and common at the ground. */
    public ArchRule layers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInAnyPackage(root + "..")
                .withOptionalLayers(true)
                .layer("Root")
                .definedBy(root, pkg("cli") + "..")
                .layer("Http")
                .definedBy(pkg("http") + "..")
                .layer("Config")
                .definedBy(pkg("config") + "..")
                .layer("Services")
                .definedBy(packages(SERVICES, ""))
                .layer("StoragePorts")
                .definedBy(pkg("storage"))
                .layer("Adapters")
                .definedBy(packages(ADAPTERS, ".."))
                .layer("Ground")
                .definedBy(pkg("python") + "..", pkg("errors") + "..", pkg("common") + "..", pkg("toml") + "..")
                .whereLayer("Root")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Http")
                .mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Config")
                .mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Services")
                .mayOnlyBeAccessedByLayers("Root", "Http", "Adapters")
                .whereLayer("StoragePorts")
                .mayOnlyBeAccessedByLayers("Root", "Services", "Adapters")
                .whereLayer("Adapters")
                .mayOnlyBeAccessedByLayers("Root")
                .because("STYLE.md §4: http → services → ports ← adapters, the composition root on top");
    }

    /** No cycle between feature packages (a feature's adapter subpackages count as the feature). */
    public ArchRule featuresFreeOfCycles() {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** http reads through services only: never a storage port, record or adapter. */
    public ArchRule httpNeverTouchesStorage() {
        return noClasses()
                .that()
                .resideInAPackage(pkg("http") + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(Stream.concat(Stream.of(pkg("storage") + ".."), Stream.of(packages(ADAPTERS, "..")))
                        .toArray(String[]::new))
                .because("issue #8: routes parse, call one service and render; services return view records");
    }

    /** Services never use Javalin, JGit, the AWS SDK, JDBC or an HTTP client themselves. */
    public ArchRule servicesUseNoTechnology() {
        return noClasses()
                .that()
                .resideInAnyPackage(packages(SERVICES, ""))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(TECHNOLOGIES.toArray(String[]::new))
                .because("STYLE.md §4: technologies belong to adapters");
    }

    /** python and errors stand on the JDK alone (python may throw errors' exceptions); common adds only Jackson. */
    public List<ArchRule> groundStaysAtTheGround() {
        return List.of(
                classes()
                        .that()
                        .resideInAPackage(pkg("python") + "..")
                        .should()
                        .onlyDependOnClassesThat()
                        .resideInAnyPackage("java..", pkg("python") + "..", pkg("errors") + "..")
                        .allowEmptyShould(true)
                        .because("STYLE.md §3: python is the pure packaging model, JDK only"),
                classes()
                        .that()
                        .resideInAPackage(pkg("errors") + "..")
                        .should()
                        .onlyDependOnClassesThat()
                        .resideInAnyPackage("java..", pkg("errors") + "..")
                        .allowEmptyShould(true)
                        .because("STYLE.md §3: errors holds WheelwrightException and its Kind, nothing else"),
                classes()
                        .that()
                        .resideInAPackage(pkg("common") + "..")
                        .should()
                        .onlyDependOnClassesThat()
                        .resideInAnyPackage(
                                "java..", "com.fasterxml.jackson..", pkg("common") + "..", pkg("errors") + "..")
                        .allowEmptyShould(true)
                        .because("common holds the few helpers every layer shares"),
                classes()
                        .that()
                        .resideInAPackage(pkg("toml") + "..")
                        .should()
                        .onlyDependOnClassesThat()
                        .resideInAnyPackage(
                                "java..", "com.fasterxml.jackson..", pkg("toml") + "..", pkg("errors") + "..")
                        .allowEmptyShould(true)
                        .because("toml is the one TOML reader, on Jackson alone"));
    }

    /**
     * Everything logs through SLF4J; Logback is configured (the {@code logging.format} switch) by the composition root
     * alone, the one reason logback-classic is a compile dependency.
     */
    public ArchRule onlyTheRootKnowsLogback() {
        return noClasses()
                .that()
                .resideOutsideOfPackages(root, pkg("cli") + "..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("ch.qos.logback..")
                .allowEmptyShould(true)
                .because("STYLE.md §9: SLF4J API everywhere; issue #13: only cli.LogFormat configures Logback");
    }

    /** The git source keeps its state in its mirrors, not in the metadata store (it records files through builds). */
    public ArchRule sourceUsesNoStorage() {
        return noClasses()
                .that()
                .resideInAPackage(pkg("source") + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(pkg("storage") + "..")
                .allowEmptyShould(true)
                .because(
                        "the git source keeps its state in its mirrors; files reach the store through builds and uploads");
    }

    /** An adapter uses no other adapter and never http. */
    public List<ArchRule> adaptersKnowOnlyThemselves() {
        List<ArchRule> rules = new ArrayList<>();
        for (String adapter : ADAPTERS) {
            List<String> forbidden = new ArrayList<>(List.of(pkg("http") + ".."));
            ADAPTERS.stream()
                    .filter(other -> !other.equals(adapter))
                    .map(other -> pkg(other) + "..")
                    .forEach(forbidden::add);
            rules.add(noClasses()
                    .that()
                    .resideInAPackage(pkg(adapter) + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden.toArray(String[]::new))
                    .allowEmptyShould(true)
                    .because("STYLE.md §4: adapters never import http or each other"));
        }
        return rules;
    }
}
