package dev.commercesync.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a build's class-data archive is used, when it is recorded again, and for which JVM options it counts. */
class ClassDataArchiveTest {
    private static final Instant BUILT = Instant.parse("2026-12-08T01:00:00Z");

    @TempDir
    Path target;

    @AfterEach
    void clearProperty() {
        System.clearProperty(ClassDataArchive.PROPERTY);
    }

    @Test
    void withoutAnArchiveTheStartRecordsOne() throws IOException {
        Path app = application();
        ClassDataArchive archive = archive(app);
        assertFalse(archive.current());
        assertTrue(
                archive.jvmOptions().contains("-XX:+RecordDynamicDumpInfo"),
                archive.jvmOptions().toString());
        assertTrue(
                archive.file().startsWith(target.resolve("synctl-cds")),
                archive.file().toString());
    }

    @Test
    void anArchiveWrittenAfterTheBuildIsMapped() throws IOException {
        Path app = application();
        write(archive(app).file(), BUILT.plusSeconds(60));
        ClassDataArchive archive = archive(app);
        assertTrue(archive.current());
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive.file()), archive.jvmOptions());
    }

    @Test
    void aRebuiltJarMakesTheArchiveStale() throws IOException {
        Path app = application();
        write(archive(app).file(), BUILT.plusSeconds(60));
        write(app.resolve("lib/main/dev.commercesync.schemas.jar"), BUILT.plusSeconds(120));
        assertFalse(archive(app).current());
    }

    @Test
    void aRebuiltClassPathEntryOutsideTheApplicationMakesTheArchiveStale() throws IOException {
        Path app = application();
        Path devstackJar = write(target.resolve("devstack.jar"), BUILT);
        write(archiveWith(app, devstackJar).file(), BUILT.plusSeconds(60));
        assertTrue(archiveWith(app, devstackJar).current());
        write(devstackJar, BUILT.plusSeconds(120));
        assertFalse(archiveWith(app, devstackJar).current());
    }

    @Test
    void anEmptyArchiveFileIsNotAnArchive() throws IOException {
        Path app = application();
        Path file = archive(app).file();
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
        Files.setLastModifiedTime(file, FileTime.from(BUILT.plusSeconds(60)));
        assertFalse(archive(app).current());
    }

    @Test
    void eachHeapAndCompilerSettingHasItsOwnArchiveButPortsDoNot() {
        List<String> demo = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        List<String> bench = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m");
        assertNotEquals(ClassDataArchive.key(demo), ClassDataArchive.key(bench));
        List<String> otherPort = List.of(
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dquarkus.http.port=18080",
                "-XX:TieredStopAtLevel=1",
                "-XX:StartFlightRecording=settings=profile,filename=/tmp/x.jfr");
        assertEquals(ClassDataArchive.key(demo), ClassDataArchive.key(otherPort));
    }

    @Test
    void aClassPathFolderGetsNoArchive() throws IOException {
        // The JDK archives classes from jars only (an IDE runs devstack from target/classes).
        Path app = application();
        Path classes = Files.createDirectories(target.resolve("classes"));
        Files.writeString(classes.resolve("Main.class"), "x");
        assertEquals(
                Optional.empty(),
                ClassDataArchive.of(
                        target, "probe", List.of(classes, app.resolve("quarkus-run.jar")), List.of(app), List.of()));
    }

    @Test
    void onlyWhenSwitchedOn() throws IOException {
        Path app = application();
        System.setProperty(ClassDataArchive.PROPERTY, "false");
        assertEquals(Optional.empty(), of(app, app.resolve("quarkus-run.jar")));
        System.setProperty(ClassDataArchive.PROPERTY, "true");
        assertTrue(of(app, app.resolve("quarkus-run.jar")).isPresent());
        System.clearProperty(ClassDataArchive.PROPERTY);
        // off unless switched on (the synctl script switches it on for synctl up and the demo)
        assertEquals(Optional.empty(), of(app, app.resolve("quarkus-run.jar")));
    }

    /** A Quarkus fast-jar layout built at {@link #BUILT}. */
    private Path application() throws IOException {
        Path app = target.resolve("quarkus-app");
        write(app.resolve("quarkus-run.jar"), BUILT);
        write(app.resolve("lib/boot/io.quarkus.quarkus-bootstrap-runner.jar"), BUILT.minusSeconds(3600));
        write(app.resolve("lib/main/dev.commercesync.schemas.jar"), BUILT);
        write(app.resolve("quarkus/quarkus-application.dat"), BUILT);
        return app;
    }

    private ClassDataArchive archive(Path app) {
        System.setProperty(ClassDataArchive.PROPERTY, "true");
        return of(app, app.resolve("quarkus-run.jar")).orElseThrow();
    }

    private ClassDataArchive archiveWith(Path app, Path jar) {
        System.setProperty(ClassDataArchive.PROPERTY, "true");
        return ClassDataArchive.of(
                        target,
                        "probe",
                        List.of(jar, app.resolve("quarkus-run.jar")),
                        List.of(app, jar),
                        List.of("-XX:+UseSerialGC"))
                .orElseThrow();
    }

    private Optional<ClassDataArchive> of(Path app, Path runner) {
        return ClassDataArchive.of(target, "probe", List.of(runner), List.of(app), List.of("-XX:+UseSerialGC"));
    }

    private static Path write(Path file, Instant modified) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "content of " + file.getFileName());
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
