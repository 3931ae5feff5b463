package dev.commercesync.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A dynamic class-data-sharing archive (AppCDS, JDK 13+) of one child JVM of the local stack: the classes a service,
 * the registry or the broker had loaded when it became ready, parsed, verified and laid out once, then mapped by every
 * later start of the same build instead of being read from its jars again.
 *
 * <p>JDK 17 has no automatic archive ({@code -XX:+AutoCreateSharedArchive} is JDK 19), so the first start of a build
 * runs with {@code -XX:+RecordDynamicDumpInfo} and, once ready, is asked to write its archive ({@code jcmd <pid>
 * VM.cds dynamic_dump}, {@link #create}); later starts run with {@code -XX:SharedArchiveFile}. Dumping from the
 * running JVM rather than at its exit ({@code -XX:ArchiveClassesAtExit}) works whatever way the JVM ends: the demo
 * kills its services. The archive is kept in the build's own folder ({@code <module>/target/synctl-cds/}, which
 * {@code mvn clean} removes) and is stale once any file it was made from is newer (a rebuild), or for another JDK or
 * other JVM options (one archive per option set: its name is their digest).
 *
 * <p>The JVM checks an archive itself and starts without it, with a warning in its log, when it does not match (a jar
 * of its class path changed since): an archive can make a start faster, never make it fail. Classes of the
 * application's own class loader (Quarkus' fast-jar {@code lib/main}) are taken from the archive only when their
 * bytes are the ones archived.
 *
 * <p>On only where {@value #PROPERTY} is {@code true}: the {@code synctl} script sets it for the operator commands
 * ({@code synctl up}, {@code synctl demo}). Off elsewhere: in the build's test JVMs a rebuilt module would record its
 * archive in every test run, and in the benchmarks a first run after a build would measure the dumps' pauses
 * ({@code synctl bench footprint --class-data-sharing} switches it per run).
 */
public final class ClassDataArchive {
    /** {@code true}: archives on; unset or anything else: off. */
    public static final String PROPERTY = "commercesync.devstack.class-data-sharing";

    /** The folder of a build's archives, beside its output. */
    static final String FOLDER = "synctl-cds";

    /** One dump at a time: each takes a core for a second or two while the others may still be starting. */
    private static final ExecutorService DUMPS = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "class-data-archive");
        t.setDaemon(true);
        return t;
    });

    private static final List<CompletableFuture<Boolean>> PENDING = new ArrayList<>();

    private final Path archive;
    private final List<Path> inputs;
    private final boolean current;
    private final FileTime newestInputAtStart;

    private ClassDataArchive(Path archive, List<Path> inputs, boolean current, FileTime newestInputAtStart) {
        this.archive = archive;
        this.inputs = List.copyOf(inputs);
        this.current = current;
        this.newestInputAtStart = newestInputAtStart;
    }

    /** Whether archives are used here (see {@link #PROPERTY}). */
    public static boolean enabled() {
        String configured = System.getProperty(PROPERTY);
        return configured != null && Boolean.parseBoolean(configured.trim());
    }

    /**
     * The archive of one JVM, or empty when archives are off or the JVM cannot have one (a class path entry that is
     * a folder: the JDK archives classes from jars only).
     *
     * @param buildDir the build folder of what the JVM runs (a module's {@code target/}): the archive lives there
     * @param name the JVM's name (module), the start of the archive's file name
     * @param classPath the JVM's class path entries (files and folders)
     * @param inputs files and folders the archived classes come from (the class path's jars, a Quarkus application
     *     folder): a file in them newer than the archive makes it stale
     * @param jvmOptions the options the JVM starts with (system properties aside)
     */
    public static Optional<ClassDataArchive> of(
            Path buildDir, String name, List<Path> classPath, List<Path> inputs, List<String> jvmOptions) {
        if (!enabled() || classPath.stream().anyMatch(Files::isDirectory)) {
            return Optional.empty();
        }
        Path archive = buildDir.resolve(FOLDER).resolve(name + "-" + key(jvmOptions) + ".jsa");
        try {
            FileTime newest = newest(inputs);
            return Optional.of(new ClassDataArchive(archive, inputs, isCurrent(archive, newest), newest));
        } catch (UncheckedIOException e) {
            return Optional.empty(); // an input being rebuilt right now: no archive this time
        }
    }

    /**
     * The digest in an archive's name: the JDK (its home and exact version; a dynamic archive is tied to the JDK's
     * own base archive) and the JVM options that shape the heap and the compilers. System properties (ports, URLs)
     * and flight recordings do not count: they change between runs and not what is archived.
     */
    static String key(List<String> jvmOptions) {
        StringBuilder basis = new StringBuilder()
                .append(System.getProperty("java.home"))
                .append('\n')
                .append(System.getProperty("java.vm.version"));
        for (String option : jvmOptions) {
            if (!option.startsWith("-D")
                    && !option.startsWith("-XX:StartFlightRecording")
                    && !option.startsWith("-XX:SharedArchiveFile")
                    && !option.startsWith("-XX:+RecordDynamicDumpInfo")
                    && !option.startsWith("-Xlog:")) {
                basis.append('\n').append(option);
            }
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(basis.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An archive is current when it exists, is not empty and was written after the newest of its inputs was
     * (its inputs' newest modification time, or null without inputs).
     */
    static boolean isCurrent(Path archive, FileTime newestInput) {
        try {
            return Files.isRegularFile(archive)
                    && Files.size(archive) > 0
                    && (newestInput == null
                            || Files.getLastModifiedTime(archive).compareTo(newestInput) > 0);
        } catch (IOException e) {
            return false;
        }
    }

    /** The newest modification time of the files in {@code inputs} (files, or folders walked), null without any. */
    static FileTime newest(List<Path> inputs) {
        FileTime newest = null;
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(input)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    FileTime t = Files.getLastModifiedTime(file);
                    if (newest == null || t.compareTo(newest) > 0) {
                        newest = t;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + input, e);
            }
        }
        return newest;
    }

    /** Whether this start maps the archive (true) or records what to archive once ready (false). */
    public boolean current() {
        return current;
    }

    public Path file() {
        return archive;
    }

    /** The JVM options for this start: map the archive, or record what to archive. */
    public List<String> jvmOptions() {
        if (current) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        // The dump lists every class it cannot archive (not linked yet, an old class file version) as a warning: some
        // thousand lines in the service's log, none of them a fault.
        return List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds=error,cds+dynamic=error");
    }

    /**
     * After a recording start, once ready: writes the archive from the running JVM {@code pid} in the background, one
     * JVM at a time ({@link #awaitPending} waits for them). Nothing to do when the archive was current.
     */
    public void createInBackground(long pid) {
        if (current) {
            return;
        }
        CompletableFuture<Boolean> done =
                CompletableFuture.supplyAsync(() -> create(pid, Duration.ofMinutes(2)), DUMPS);
        synchronized (PENDING) {
            PENDING.add(done);
        }
    }

    /** Waits for the archives being written ({@link #createInBackground}); true when all were written. */
    public static boolean awaitPending() {
        List<CompletableFuture<Boolean>> pending;
        synchronized (PENDING) {
            pending = List.copyOf(PENDING);
            PENDING.clear();
        }
        boolean all = true;
        for (CompletableFuture<Boolean> f : pending) {
            all &= f.join();
        }
        return all;
    }

    /**
     * Writes the archive from the running JVM {@code pid} (started with {@link #jvmOptions()} of a recording start):
     * into a temporary file beside it, moved into place once complete, so that a JVM starting meanwhile finds the old
     * archive or the new one, never half of one. False, with nothing written, when the JVM is gone, {@code jcmd} is
     * missing (a JRE), or an input changed since the JVM started (its classes are no longer the build's).
     */
    boolean create(long pid, Duration timeout) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return false;
        }
        Path temporary = archive.resolveSibling(archive.getFileName() + "." + pid + ".tmp");
        Path answerFile = archive.resolveSibling(archive.getFileName() + "." + pid + ".jcmd");
        try {
            Files.createDirectories(archive.getParent());
            Process dump = new ProcessBuilder(
                            jcmd.toString(),
                            Long.toString(pid),
                            "VM.cds",
                            "dynamic_dump",
                            temporary.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(answerFile.toFile())
                    .start();
            if (!dump.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                dump.destroyForcibly();
                return false;
            }
            // jcmd answers 0 also when the command failed in the JVM; what it printed tells.
            String answer = Files.readString(answerFile);
            FileTime newestNow = newest(inputs);
            boolean unchanged = newestNow == null || newestNow.equals(newestInputAtStart);
            if (dump.exitValue() != 0
                    || answer.contains("rror")
                    || answer.contains("xception")
                    || !unchanged
                    || !Files.isRegularFile(temporary)
                    || Files.size(temporary) == 0) {
                return false;
            }
            Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(answerFile);
            } catch (IOException ignored) {
                // a leftover temporary file is overwritten by the next dump of the same JVM id, never read
            }
        }
    }
}
