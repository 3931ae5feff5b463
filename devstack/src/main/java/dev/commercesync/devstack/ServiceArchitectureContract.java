package dev.commercesync.devstack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * What every service proves about its code: it reaches platforms only through the SPI and the facade
 * ({@code dev.commercesync.platforms}, {@code .spi}, {@code .shared}), never a platform's own package, so that adding
 * a platform needs no service change. A service's test extends this and names its root package.
 */
public abstract class ServiceArchitectureContract {

    /** The service's root package, e.g. {@code dev.commercesync.ingest}. */
    protected abstract String servicePackage();

    @Test
    void serviceNeverImportsAPlatformPackage() {
        JavaClasses service = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage());
        noClasses()
                .should()
                .dependOnClassesThat(inAPlatformPackage())
                .because("platform variance stays behind the SPI: a service names no platform's package")
                .check(service);
    }

    private static DescribedPredicate<JavaClass> inAPlatformPackage() {
        return DescribedPredicate.describe(
                "are in a platform's package (dev.commercesync.platforms.<platform>..)", c -> {
                    String pkg = c.getPackageName();
                    if (!pkg.startsWith("dev.commercesync.platforms.")) {
                        return false;
                    }
                    String sub = pkg.substring("dev.commercesync.platforms.".length())
                            .split("\\.")[0];
                    return !sub.equals("spi") && !sub.equals("shared");
                });
    }
}
