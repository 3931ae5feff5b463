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

/** A real PostgreSQL 18 from Maven Central binaries, {@code wal_level=logical} for Debezium. */
final class PostgresNode implements AutoCloseable {
    static final String DATABASE = "commercesync";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresNode(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
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
        PostgresNode node = new PostgresNode(postgres, port);
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

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("stopping PostgreSQL failed: " + e.getMessage());
        }
    }
}
