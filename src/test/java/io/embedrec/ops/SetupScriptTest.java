package io.embedrec.ops;

import io.embedrec.support.TestDb;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/setup-postgres.sh is idempotent: on a prepared machine it changes nothing and says exactly that. */
class SetupScriptTest {

    @Test
    void secondRunChangesNothingAndPrintsOnlyTheNothingToChangeLine() throws Exception {
        String testDb = TestDb.URL.substring(TestDb.URL.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        Map<String, String> env = Map.of("EMBEDREC_TEST_DB_NAME", testDb);

        Run first = run(env);
        assertThat(first.exit).as(first.toString()).isZero();

        Run second = run(env);
        assertThat(second.exit).as(second.toString()).isZero();
        assertThat(second.stderr).isEmpty();
        assertThat(second.stdout).matches("setup-postgres: nothing to change \\(pgvector \\d+\\.\\d+\\.\\d+, role embedrec, "
                + "databases embedrec, " + testDb + "\\)\n");
    }

    record Run(int exit, String stdout, String stderr) {
    }

    static Run run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/setup-postgres.sh")
                .directory(Path.of("").toAbsolutePath().toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.io.ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        drain.join();
        return new Run(exit, out, err.toString(StandardCharsets.UTF_8));
    }
}
