package dev.switchboard.core.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependency rules of docs/architecture.md for integrations-core; the examples module checks them across
 * modules, and checks there that every package of every module is {@code @NullMarked}.
 */
@AnalyzeClasses(packages = "dev.switchboard.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule coreDependsOnNoOtherModule = noClasses()
            .that()
            .resideInAPackage("dev.switchboard.core..")
            .should()
            .dependOnClassesThat(
                    resideInAPackage("dev.switchboard..").and(resideOutsideOfPackage("dev.switchboard.core..")))
            .orShould()
            .dependOnClassesThat()
            .resideInAPackage("com.nimbusds..")
            .because("integrations-core depends on no other module of ours, and OAuth lives in integrations-oauth");

    @ArchTest
    static final ArchRule noReactiveTypesOrMutableJsonInTheApi = noClasses()
            .that()
            .resideInAPackage("dev.switchboard.core..")
            .and()
            .resideOutsideOfPackage("..internal..")
            .and()
            .arePublic()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("reactor..", "com.fasterxml.jackson.databind..");

    @ArchTest
    static final ArchRule loggingGoesThroughSlf4jOnly = noClasses()
            .that()
            .resideInAPackage("dev.switchboard..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ch.qos.logback..", "org.apache.logging.log4j..", "java.util.logging..");
}
