package dev.switchboard.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Core depends on no other module of ours: not on the OAuth module, not on connectors. */
@AnalyzeClasses(packages = "dev.switchboard.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreIndependenceTest {
  @ArchTest
  static final ArchRule coreDoesNotDependOnOAuth = noClasses().that().resideInAPackage("dev.switchboard.core..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.oauth..", "com.nimbusds..")
      .because("integrations-core depends on no other module of ours (DESIGN.md)");

  @ArchTest
  static final ArchRule coreDoesNotDependOnOtherModules = noClasses().that().resideInAPackage("dev.switchboard.core..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.testkit..", "dev.switchboard.connectors..",
          "dev.switchboard.normalize..", "dev.switchboard.memory..", "dev.switchboard.mcp..")
      .because("integrations-core depends on no other module of ours (DESIGN.md)");
}
