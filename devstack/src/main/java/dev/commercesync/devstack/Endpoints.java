package dev.commercesync.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Where a running stack's components answer; also its on-disk form ({@code stack.properties}). */
public record Endpoints(String kafkaBootstrap, String registryUrl, String jdbcUrl, String jdbcUser, long ownerPid) {

    /** Apicurio's native v2 API, the URL the Apicurio serdes take. */
    public String registryApiUrl() {
        return registryUrl + "/apis/registry/v2";
    }

    /** The Confluent-compatible API, for Confluent clients and the wire-format checks. */
    public String registryCcompatUrl() {
        return registryUrl + "/apis/ccompat/v7";
    }

    /** The configuration a commerce-sync Quarkus service needs to use this stack. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafkaBootstrap);
        config.put("mp.messaging.connector.smallrye-kafka.apicurio.registry.url", registryApiUrl());
        config.put("commercesync.registry.url", registryUrl);
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        config.put("quarkus.datasource.username", jdbcUser);
        config.put("quarkus.datasource.password", "");
        return config;
    }

    /** One-line form, for handing the endpoints across class loaders in a system property. */
    public String asString() {
        return String.join("|", kafkaBootstrap, registryUrl, jdbcUrl, jdbcUser, Long.toString(ownerPid));
    }

    /** Reads {@link #asString()}'s form back. */
    public static Endpoints fromString(String s) {
        String[] f = s.split("\\|", -1);
        return new Endpoints(f[0], f[1], f[2], f[3], Long.parseLong(f[4]));
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap", kafkaBootstrap);
        p.setProperty("registry.url", registryUrl);
        p.setProperty("jdbc.url", jdbcUrl);
        p.setProperty("jdbc.user", jdbcUser);
        p.setProperty("owner.pid", Long.toString(ownerPid));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "commerce-sync devstack endpoints; removed when the stack stops");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Endpoints read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new Endpoints(
                p.getProperty("kafka.bootstrap"),
                p.getProperty("registry.url"),
                p.getProperty("jdbc.url"),
                p.getProperty("jdbc.user"),
                Long.parseLong(p.getProperty("owner.pid", "-1")));
    }
}
