package io.embedrec.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a Node script of src/test/js and fails with its output unless it exits 0. */
final class NodeScript {

    static final Path DIR = Path.of("src/test/js");

    private NodeScript() {
    }

    static void run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        assertThat(DIR.resolve("node_modules/playwright-core")).as(
                "playwright-core is not installed: run scripts/install-browser.sh (scripts/test.sh does)").exists();
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("embedrec-node", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        System.out.println(out);
        assertThat(ended).as("node %s did not finish in %d s:%n%s", args[0], timeoutSeconds, out).isTrue();
        assertThat(p.exitValue()).as("node %s failed:%n%s", String.join(" ", args), out).isZero();
    }
}
