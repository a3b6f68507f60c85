package dev.switchboard.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.jspecify.annotations.NullMarked;

/**
 * The dependency rules of docs/architecture.md across every module on this class path (examples
 * depends on all published modules, so it sees them all).
 */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {
    /** A module's implementation ({@code ...internal}) is used by that module only. */
    @ArchTest
    static final ArchRule internalStaysInItsModule = noClasses()
            .should(new ArchCondition<JavaClass>("use another module's internal packages") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    for (Dependency d : item.getDirectDependenciesFromSelf()) {
                        String target = d.getTargetClass().getPackageName();
                        int internal = target.indexOf(".internal");
                        if (!target.startsWith("dev.switchboard.") || internal < 0) {
                            continue;
                        }
                        String owner = target.substring(0, internal);
                        if (!item.getPackageName().equals(owner)
                                && !item.getPackageName().startsWith(owner + ".")) {
                            events.add(SimpleConditionEvent.satisfied(item, d.getDescription()));
                        }
                    }
                }
            });

    @ArchTest
    static final ArchRule coreDependsOnNoOtherModule = noClasses()
            .that()
            .resideInAPackage("dev.switchboard.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.switchboard.oauth..",
                    "dev.switchboard.connectors..",
                    "dev.switchboard.normalize..",
                    "dev.switchboard.memory..",
                    "dev.switchboard.testkit..",
                    "dev.switchboard.mcp..",
                    "dev.switchboard.cli..",
                    "dev.switchboard.examples..");

    @ArchTest
    static final ArchRule connectorsDoNotDependOnEachOther = slices().matching("dev.switchboard.connectors.(*)..")
            .should()
            .notDependOnEachOther()
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule testkitDependsOnNoConnector = noClasses()
            .that()
            .resideInAPackage("dev.switchboard.testkit..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.switchboard.connectors..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule nothingDependsOnApplications = noClasses()
            .that()
            .resideOutsideOfPackages("dev.switchboard.examples..", "dev.switchboard.cli..", "dev.switchboard.mcp..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.switchboard.examples..", "dev.switchboard.cli..", "dev.switchboard.mcp..");

    /** Every package of every module's main code has a package-info annotated {@code @NullMarked}. */
    @ArchTest
    static final ArchRule everyPackageIsNullMarked = classes()
            .that()
            .resideInAPackage("dev.switchboard..")
            .should(new ArchCondition<JavaClass>("reside in a package annotated @NullMarked") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    if (!item.getPackage().isAnnotatedWith(NullMarked.class)) {
                        events.add(SimpleConditionEvent.violated(
                                item, item.getPackageName() + " has no @NullMarked package-info"));
                    }
                }
            });

    /**
     * No API type shows an implementation type: not as a supertype, a field, a parameter, a return type or a
     * thrown exception of anything public. (integrations-core's API packages go further and use no internal
     * class at all: its own ArchitectureTest; a connector's or a store's entry class may construct its module's
     * internal classes, never expose them.)
     */
    @ArchTest
    static final ArchRule apiSignaturesShowNoInternalType = classes()
            .that()
            .resideInAPackage("dev.switchboard..")
            .and()
            .resideOutsideOfPackage("..internal..")
            .and()
            .arePublic()
            .should(new ArchCondition<JavaClass>("show no internal type in a public signature") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    java.util.List<JavaClass> shown = new java.util.ArrayList<>();
                    item.getRawSuperclass().ifPresent(shown::add);
                    shown.addAll(item.getRawInterfaces());
                    item.getFields().stream()
                            .filter(f ->
                                    f.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC))
                            .forEach(f -> shown.add(f.getRawType()));
                    item.getCodeUnits().stream()
                            .filter(m -> m.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
                                    || m.getModifiers()
                                            .contains(com.tngtech.archunit.core.domain.JavaModifier.PROTECTED))
                            .forEach(m -> {
                                shown.add(m.getRawReturnType());
                                shown.addAll(m.getRawParameterTypes());
                                m.getThrowsClause().getTypes().forEach(shown::add);
                            });
                    for (JavaClass type : shown) {
                        if (type.getPackageName().startsWith("dev.switchboard.")
                                && type.getPackageName().contains(".internal")) {
                            events.add(SimpleConditionEvent.violated(
                                    item, item.getName() + " shows internal type " + type.getName()));
                        }
                    }
                }
            });

    /** Mapping files read JSON and YAML through Jackson in normalize's internal package; the API never shows it. */
    @ArchTest
    static final ArchRule normalizeApiDependsOnNoJackson = noClasses()
            .that()
            .resideInAPackage("dev.switchboard.normalize")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.fasterxml..")
            .because(
                    "Jackson is an implementation detail of integrations-normalize (dev.switchboard.normalize.internal)");
}
