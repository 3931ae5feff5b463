package dev.commercesync.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every service (and {@code synctl}) proves about its code: it reaches platforms only through the SPI and the
 * facade ({@code dev.commercesync.platforms}, {@code .spi}, {@code .shared}), never a platform's own package, so that
 * adding a platform needs no service change; and it depends on no other service and on none of the tools around the
 * services (simulator, devstack, synctl): services talk through Kafka topics, the registry and their HTTP APIs, and
 * share code only through the libraries (schemas, pipeline-kafka, platforms, stores, telemetry, service-auth). A
 * test extends this and names its root package.
 */
public abstract class ServiceArchitectureContract {
    /** The services' root packages. */
    public static final List<String> SERVICES = List.of(
            "dev.commercesync.ingest",
            "dev.commercesync.poller",
            "dev.commercesync.normalizer",
            "dev.commercesync.syncwriter",
            "dev.commercesync.reconciler",
            "dev.commercesync.inventory",
            "dev.commercesync.console");

    /** The root packages of the tools around the services: demo and tests, never a service's dependency. */
    public static final List<String> TOOLS = List.of(
            "dev.commercesync.simulator",
            "dev.commercesync.devstack",
            "dev.commercesync.testsupport",
            "dev.commercesync.cli",
            "dev.commercesync.bench",
            "dev.commercesync.e2e",
            "dev.commercesync.chaos");

    /** The service's root package, e.g. {@code dev.commercesync.ingest}. */
    protected abstract String servicePackage();

    /** The root packages this code must not depend on: by default every other service and every tool. */
    protected List<String> packagesNotToDependOn() {
        return Stream.concat(SERVICES.stream(), TOOLS.stream())
                .filter(root -> !root.equals(servicePackage()))
                .toList();
    }

    @Test
    void serviceDependsOnNoOtherServiceNorTool() {
        List<String> forbidden = packagesNotToDependOn();
        noClasses()
                .should()
                .dependOnClassesThat(DescribedPredicate.describe("are in " + forbidden, c -> forbidden.stream()
                        .anyMatch(root -> c.getPackageName().equals(root)
                                || c.getPackageName().startsWith(root + "."))))
                .because("services share code only through the libraries, and the tools are not deployed with them")
                .check(mainClasses());
    }

    @Test
    void serviceNeverImportsAPlatformPackage() {
        JavaClasses service = mainClasses();
        noClasses()
                .should()
                .dependOnClassesThat(inAPlatformPackage())
                .because("platform variance stays behind the SPI: a service names no platform's package")
                .check(service);
    }

    private JavaClasses mainClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage());
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
