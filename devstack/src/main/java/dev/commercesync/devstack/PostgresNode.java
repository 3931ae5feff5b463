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

/** A real PostgreSQL 18 from Maven Central binaries, {@code wal_level=logical} for Debezium. */
public final class PostgresNode implements AutoCloseable {
    static final String DATABASE = "commercesync";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;
    private final Path dataDirectory;
    /** The processes {@link #pause()} stopped, postmaster first, for {@link #resume()}. */
    private List<Long> paused = List.of();

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

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /**
     * Hangs PostgreSQL: SIGSTOP to the postmaster (so it forks nothing new) and then to every backend and auxiliary
     * process. Connections stay open and every query waits, as on a stalled disk or VM, until {@link #resume()}.
     */
    public synchronized void pause() {
        long postmaster = postmasterPid();
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ChildProcess.signal("STOP", pids);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        ChildProcess.signal("STOP", pids.subList(1, pids.size()));
        paused = List.copyOf(pids);
    }

    /** SIGCONT to what {@link #pause()} stopped, backends first, then the postmaster. */
    public synchronized void resume() {
        List<Long> pids = new ArrayList<>(paused);
        Collections.reverse(pids);
        pids.removeIf(pid -> ProcessHandle.of(pid).isEmpty());
        ChildProcess.signal("CONT", pids);
        paused = List.of();
    }

    /** The postmaster's process id: the first line of {@code postmaster.pid} in the data directory. */
    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .get(0)
                    .trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read PostgreSQL's postmaster.pid in " + dataDirectory, e);
        }
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
