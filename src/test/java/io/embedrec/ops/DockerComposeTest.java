package io.embedrec.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml and the Dockerfile it builds, checked as files: this machine has no Docker engine. */
class DockerComposeTest {

    static final Path ROOT = Path.of("").toAbsolutePath();

    final JsonNode compose = read();

    static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void composeHasExactlyTheDatabaseAndTheApp() {
        assertThat(names(compose.get("services"))).containsExactly("db", "app");
        assertThat(names(compose.get("volumes"))).containsExactly("pgdata");
    }

    @Test
    void dbIsPgvectorPostgresWithTheAppsRoleAHealthcheckAVolumeAndTheVectorExtension() throws IOException {
        JsonNode db = compose.at("/services/db");
        assertThat(db.get("image").asText()).isEqualTo("pgvector/pgvector:0.8.0-pg15");
        assertThat(env(db)).isEqualTo(Map.of("POSTGRES_USER", "embedrec", "POSTGRES_PASSWORD", "embedrec",
                "POSTGRES_DB", "embedrec"));
        assertThat(texts(db.at("/healthcheck/test"))).containsExactly("CMD-SHELL", "pg_isready -U embedrec -d embedrec");
        assertThat(texts(db.get("volumes"))).containsExactly("pgdata:/var/lib/postgresql/data",
                "./docker/init-db.sql:/docker-entrypoint-initdb.d/10-init-db.sql:ro");

        String init = Files.readString(ROOT.resolve("docker/init-db.sql"));
        assertThat(init.lines().filter(l -> !l.startsWith("--")))
                .containsExactly("CREATE EXTENSION IF NOT EXISTS vector;", "CREATE EXTENSION IF NOT EXISTS pg_trgm;");
    }

    @Test
    void appIsBuiltHereAndReachesTheDbThroughTheVariablesTheApplicationReads() throws IOException {
        JsonNode app = compose.at("/services/app");
        assertThat(app.at("/build/context").asText()).isEqualTo(".");
        assertThat(app.at("/build/dockerfile").asText()).isEqualTo("Dockerfile");
        assertThat(env(app)).isEqualTo(Map.of(
                "EMBEDREC_DB_URL", "jdbc:postgresql://db:5432/embedrec",
                "EMBEDREC_DB_USER", "embedrec",
                "EMBEDREC_DB_PASSWORD", "embedrec",
                "EMBEDREC_PORT", "8080"));
        assertThat(texts(app.get("ports"))).containsExactly("127.0.0.1:8080:8080");
        assertThat(app.at("/depends_on/db/condition").asText()).isEqualTo("service_healthy");

        String props = Files.readString(ROOT.resolve("src/main/resources/application.properties"));
        assertThat(props).contains("quarkus.datasource.jdbc.url=${EMBEDREC_DB_URL:",
                "quarkus.datasource.username=${EMBEDREC_DB_USER:", "quarkus.datasource.password=${EMBEDREC_DB_PASSWORD:",
                "quarkus.http.port=${EMBEDREC_PORT:");
    }

    @Test
    void dockerfileBuildsWithTheRepositorysMavenWrapperOnJdk17AndRunsQuarkusAppOnJre17() throws IOException {
        List<String> steps = instructions(Files.readString(ROOT.resolve("Dockerfile")));
        List<String> from = steps.stream().filter(s -> s.startsWith("FROM ")).toList();
        assertThat(from).containsExactly("FROM eclipse-temurin:17-jdk AS build", "FROM eclipse-temurin:17-jre");

        int runStage = steps.indexOf(from.get(1));
        List<String> build = steps.subList(0, runStage);
        List<String> run = steps.subList(runStage, steps.size());
        assertThat(build).anyMatch(s -> s.startsWith("RUN ") && s.endsWith(" ./mvnw -B package -DskipTests"));
        assertThat(build).contains("COPY mvnw pom.xml ./", "COPY .mvn .mvn");

        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
        for (String copy : build.stream().filter(s -> s.startsWith("COPY ")).toList()) {
            String[] parts = copy.split(" ");
            for (int i = 1; i < parts.length - 1; i++) {
                assertThat(ROOT.resolve(parts[i])).as(copy).exists();
                assertThat(ignored).as(copy).doesNotContain(parts[i]);
            }
        }
        assertThat(run).filteredOn(s -> s.startsWith("COPY ")).allMatch(s -> s.startsWith(
                "COPY --from=build /src/target/quarkus-app/"));
        assertThat(run).contains("EXPOSE 8080", "ENTRYPOINT [\"java\", \"-jar\", \"/app/quarkus-run.jar\"]");
        assertThat(Files.isExecutable(ROOT.resolve("mvnw"))).isTrue();
    }

    /** Dockerfile instructions, one per entry: comments dropped, continuation lines joined. */
    static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1).strip() + " " : line);
            if (!continues) {
                out.add(current.toString().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return out;
    }

    static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Map<String, String> env(JsonNode service) {
        Map<String, String> out = new java.util.TreeMap<>();
        service.get("environment").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
