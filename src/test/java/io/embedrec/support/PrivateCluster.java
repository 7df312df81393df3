package io.embedrec.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own ({@code initdb} in a temp dir, a free port), for tests that stop and start
 * the database: the shared server is never touched. It uses the machine's PostgreSQL binaries and pgvector (as
 * installed by scripts/setup-postgres.sh) and has the role and database the service expects, {@code embedrec}.
 * As root, the server runs as the {@code postgres} user (PostgreSQL refuses to run as root).
 */
public final class PrivateCluster implements AutoCloseable {

    private final Path dir;
    private final Path data;
    private final Path bin;
    private final int port;
    private final boolean root;

    private PrivateCluster(Path dir, Path bin, int port, boolean root) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.bin = bin;
        this.port = port;
        this.root = root;
    }

    /** initdb, start, then the role {@code embedrec}, its database and the vector extension. */
    public static PrivateCluster create() throws IOException, InterruptedException, SQLException {
        Path dir = Files.createTempDirectory("embedrec-pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        PrivateCluster pg = new PrivateCluster(dir, binaries(), freePort(), root);
        if (root) {
            pg.run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        pg.run(List.of(pg.bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--no-sync"), true);
        pg.start();
        try (Connection c = DriverManager.getConnection(pg.url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE ROLE embedrec LOGIN CREATEDB PASSWORD 'embedrec'");
            s.execute("CREATE DATABASE embedrec OWNER embedrec");
        }
        try (Connection c = DriverManager.getConnection(pg.url("embedrec"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION vector");
        }
        return pg;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url("embedrec"), "embedrec", "embedrec");
    }

    public void start() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log")
                .toString(), "-w", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"),
                true);
    }

    /** A fast shutdown: open sessions are ended, as when an operator restarts the server. */
    public void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), true);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
                    true);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres && root) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static Path binaries() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() == 0 && Files.exists(Path.of(out, "initdb"))) {
            return Path.of(out);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.exists(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no initdb: run scripts/setup-postgres.sh"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
