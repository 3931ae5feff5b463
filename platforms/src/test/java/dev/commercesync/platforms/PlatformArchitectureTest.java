package dev.commercesync.platforms;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.Slice;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.commercesync.platforms.spi.PlatformAdapter;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform layer's build rules: a platform is one package with one registered adapter, platform packages know
 * only the SPI and the shared parts (never each other, never the facade), and the SPI and shared parts know no
 * platform.
 */
class PlatformArchitectureTest {
    private static final String ROOT = "dev.commercesync.platforms";
    private static final Set<String> NON_PLATFORM_PACKAGES = Set.of(ROOT, ROOT + ".spi", ROOT + ".shared");

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    /** Packages that hold a platform adapter implementation. */
    private static Set<String> platformPackages() {
        return production.stream()
                .filter(c -> c.isAssignableTo(PlatformAdapter.class) && !c.isInterface())
                .map(JavaClass::getPackageName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyAdapterIsRegisteredAndUniqueByName() {
        Set<String> implementations = production.stream()
                .filter(c -> c.isAssignableTo(PlatformAdapter.class) && !c.isInterface())
                .map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        Set<String> registered = registry.adapters().stream()
                .map(a -> a.getClass().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(implementations, registered, "every PlatformAdapter is in META-INF/services, and only those");
        // The registry refuses duplicate names, so loading it proves uniqueness; also one adapter per package.
        assertEquals(implementations.size(), registry.names().size());
        assertEquals(implementations.size(), platformPackages().size(), "one adapter per platform package");
        for (String name : registry.names()) {
            assertTrue(
                    registry.get(name).getClass().getPackageName().equals(ROOT + "." + name),
                    "adapter '" + name + "' lives in package " + ROOT + "." + name);
        }
    }

    @Test
    void platformPackagesDoNotDependOnEachOther() {
        DescribedPredicate<Slice> platforms = DescribedPredicate.describe(
                "platform packages", slice -> !Set.of("spi", "shared").contains(slice.getNamePart(1)));
        SlicesRuleDefinition.slices()
                .matching(ROOT + ".(*)..")
                .namingSlices("platform $1")
                .that(platforms)
                .should()
                .notDependOnEachOther()
                .check(production);
    }

    @Test
    void platformPackagesUseOnlyTheSpiAndSharedParts() {
        for (String platformPackage : platformPackages()) {
            noClasses()
                    .that()
                    .resideInAPackage(platformPackage + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage(ROOT)
                    .as(platformPackage + " must not use the facade (" + ROOT + ")")
                    .check(production);
        }
    }

    @Test
    void theSpiAndSharedPartsKnowNoPlatform() {
        for (String platformPackage : platformPackages()) {
            classes()
                    .that()
                    .resideInAnyPackage(NON_PLATFORM_PACKAGES.toArray(String[]::new))
                    .should()
                    .onlyDependOnClassesThat()
                    .resideOutsideOfPackage(platformPackage + "..")
                    .check(production);
        }
    }
}
