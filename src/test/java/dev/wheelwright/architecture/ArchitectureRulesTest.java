package dev.wheelwright.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each architecture rule fails on the deliberate violation planted for it in the {@code fixture} package. */
class ArchitectureRulesTest {
    private static final String FIXTURE = "dev.wheelwright.architecture.fixture";
    private static final ArchitectureRules RULES = new ArchitectureRules(FIXTURE);
    private static JavaClasses fixture;

    @BeforeAll
    static void importFixture() {
        fixture = new ClassFileImporter().importPackages(FIXTURE);
    }

    private static void assertViolated(ArchRule rule, String offender) {
        assertThatThrownBy(() -> rule.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(offender);
    }

    @Test
    void http_touching_a_storage_port_fails_even_fully_qualified() {
        assertViolated(RULES.httpNeverTouchesStorage(), "BadRoutes");
    }

    @Test
    void http_touching_a_storage_port_breaks_the_layers() {
        assertViolated(RULES.layers(), "BadRoutes");
    }

    @Test
    void a_cycle_between_two_features_fails() {
        assertViolated(RULES.featuresFreeOfCycles(), "Cycle");
    }

    @Test
    void jdbc_in_a_service_fails() {
        assertViolated(RULES.servicesUseNoTechnology(), "java.sql.Connection");
    }

    @Test
    void the_prometheus_registry_in_a_service_fails() {
        assertViolated(RULES.servicesUseNoTechnology(), "io.micrometer.prometheusmetrics.PrometheusMeterRegistry");
    }

    @Test
    void the_micrometer_facade_in_a_service_is_allowed() {
        assertThatThrownBy(() -> RULES.servicesUseNoTechnology().check(fixture))
                .isInstanceOf(AssertionError.class)
                .message()
                .doesNotContain("Counting");
    }

    @Test
    void logback_outside_the_composition_root_fails() {
        assertViolated(RULES.onlyTheRootKnowsLogback(), "ch.qos.logback.classic.LoggerContext");
    }

    @Test
    void the_packaging_model_reaching_up_fails() {
        assertViolated(RULES.all().get("python on the JDK alone"), "Names");
    }

    @Test
    void an_adapter_using_another_adapter_fails() {
        assertViolated(RULES.all().get("adapter source.jgit knows only itself"), "Mirrors");
    }

    @Test
    void the_main_rules_are_the_rules_tested_here() {
        assertThat(RULES.all())
                .containsKeys(
                        "layers",
                        "feature packages free of cycles",
                        "http never touches storage",
                        "services use no technology",
                        "python on the JDK alone",
                        "adapter source.jgit knows only itself");
    }
}
