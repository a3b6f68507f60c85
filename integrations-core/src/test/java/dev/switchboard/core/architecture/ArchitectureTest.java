package dev.switchboard.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Dependency rules of docs/architecture.md for integrations-core; the examples module checks them across modules. */
@AnalyzeClasses(packages = "dev.switchboard.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule coreDependsOnNoOtherModule = noClasses().that().resideInAPackage("dev.switchboard.core..")
      .should().dependOnClassesThat(resideInAPackage("dev.switchboard..").and(resideOutsideOfPackage("dev.switchboard.core..")));

  @ArchTest
  static final ArchRule noReactiveTypesOrMutableJsonInTheApi = noClasses()
      .that().resideInAPackage("dev.switchboard.core..").and().resideOutsideOfPackage("..internal..")
      .and().arePublic()
      .should().dependOnClassesThat().resideInAnyPackage("reactor..", "com.fasterxml.jackson.databind..");

  @ArchTest
  static final ArchRule apiPackagesAreAnnotatedNullMarked = classes().that().haveSimpleName("package-info")
      .should().beAnnotatedWith(org.jspecify.annotations.NullMarked.class)
      .allowEmptyShould(true);

  @ArchTest
  static final ArchRule loggingGoesThroughSlf4jOnly = noClasses().that().resideInAPackage("dev.switchboard..")
      .should().dependOnClassesThat().resideInAnyPackage("ch.qos.logback..", "org.apache.logging.log4j..", "java.util.logging..");
}
