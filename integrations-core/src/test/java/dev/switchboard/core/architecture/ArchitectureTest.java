package dev.switchboard.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.switchboard.core.architecture.probe.ProbeApi;
import dev.switchboard.core.architecture.probe.ProbeLeak;
import org.junit.jupiter.api.Test;

/**
 * Rules of docs/architecture.md that integrations-core's own classes can break (the examples module checks
 * the rules across modules): API packages use no implementation class, so the API can be read and kept
 * stable without the runtime behind it; no reactive type or mutable JSON in the API; logging through SLF4J
 * only. Each rule is also run against a probe that breaks it, so it is known to be able to fail.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard.core");

    private static final JavaClasses PROBE =
            new ClassFileImporter().importPackages("dev.switchboard.core.architecture.probe");

    /** The API packages of core depend on no class of an {@code internal} package: the runtime is found through its SPI. */
    static final ArchRule API_USES_NO_INTERNAL_CLASS = noClasses()
            .that()
            .resideInAPackage("dev.switchboard..")
            .and()
            .resideOutsideOfPackage("..internal..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..internal..")
            .because("API packages import no internal class: applications and connector authors compile against"
                    + " the API alone, and the implementation can change behind it");

    static final ArchRule NO_REACTIVE_TYPES_OR_MUTABLE_JSON_IN_THE_API = noClasses()
            .that()
            .resideInAPackage("dev.switchboard.core..")
            .and()
            .resideOutsideOfPackage("..internal..")
            .and()
            .arePublic()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("reactor..", "com.fasterxml.jackson.databind..");

    static final ArchRule LOGGING_GOES_THROUGH_SLF4J_ONLY = noClasses()
            .that()
            .resideInAPackage("dev.switchboard..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ch.qos.logback..", "org.apache.logging.log4j..", "java.util.logging..");

    @Test
    void apiPackagesImportNoInternalClass() {
        API_USES_NO_INTERNAL_CLASS.check(CORE);
    }

    @Test
    void theRuleCatchesAProbeViolation() {
        EvaluationResult result = API_USES_NO_INTERNAL_CLASS.evaluate(PROBE);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains(ProbeApi.class.getName()))
                .anySatisfy(line -> assertThat(line).contains(ProbeLeak.class.getName()));
        assertThatThrownBy(() -> API_USES_NO_INTERNAL_CLASS.check(PROBE)).isInstanceOf(AssertionError.class);
    }

    @Test
    void noReactiveTypesOrMutableJsonInTheApi() {
        NO_REACTIVE_TYPES_OR_MUTABLE_JSON_IN_THE_API.check(CORE);
    }

    @Test
    void loggingGoesThroughSlf4jOnly() {
        LOGGING_GOES_THROUGH_SLF4J_ONLY.check(CORE);
    }
}
