package dev.commercesync.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A real PostgreSQL 18 from Maven Central binaries, {@code wal_level=logical} for Debezium, with commit timestamps
 * tracked.
 */
public final class PostgresNode implements AutoCloseable {
    static final String DATABASE = "commercesync";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;
    private final Path dataDirectory;

    private PostgresNode(EmbeddedPostgres postgres, int port, Path dataDirectory) {
        this.postgres = postgres;
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    static PostgresNode start(Path dataDir, int port, boolean keepData, Duration timeout) throws IOException {
        Path dir = dataDir.resolve("postgres");
        Files.createDirectories(dir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(!keepData)
                .setPort(port)
                .setPGStartupWait(timeout)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                // Commit times of transactions (pg_xact_commit_timestamp): what the end-to-end benchmark measures to.
                .setServerConfig("track_commit_timestamp", "on")
                .start();
        PostgresNode node = new PostgresNode(postgres, port, dir.resolve("data"));
        try {
            node.createDatabase();
        } catch (SQLException e) {
            node.close();
            throw new IOException("cannot create database " + DATABASE, e);
        }
        return node;
    }

    private void createDatabase() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    /**
     * Hangs the server as a frozen host would: SIGSTOP to the postmaster and every backend, walsender and auxiliary
     * process. Open connections stay open but nothing answers; new connections are accepted by the kernel and then
     * wait. {@link #resume()} lets them all continue.
     */
    public void pause() {
        List<Long> pids = processTree();
        Signals.send("STOP", pids); // the postmaster first, so it forks nothing new
        Signals.send("STOP", processTree()); // and whatever it forked meanwhile
    }

    /** Lets a {@link #pause() paused} server continue. */
    public void resume() {
        List<Long> pids = processTree();
        Collections.reverse(pids); // children first, the postmaster (which accepts connections) last
        Signals.send("CONT", pids);
    }

    /** The postmaster (first) and its descendants. */
    private List<Long> processTree() {
        long postmaster;
        try {
            // postmaster.pid: the first line is the postmaster's pid (PostgreSQL's documented layout).
            postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .get(0)
                    .trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the postmaster pid in " + dataDirectory, e);
        }
        ProcessHandle handle = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster process " + postmaster));
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        handle.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("stopping PostgreSQL failed: " + e.getMessage());
        }
    }
}
