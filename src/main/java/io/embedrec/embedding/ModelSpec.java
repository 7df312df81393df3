package io.embedrec.embedding;

import io.embedrec.common.EmbedrecConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One configured model, checked: where its graph and tokenizer are (classpath resources of a model jar, or files on
 * disk) and the facts the config gives. Every problem names the model, the file and the reason.
 */
record ModelSpec(String name, String graph, String tokenizer, boolean onClasspath, Pooling pooling,
                 OptionalInt dimensions, int maxTokens, boolean normalize, String queryPrefix, String documentPrefix,
                 Optional<String> output, boolean isDefault, boolean eager) {

    static ModelSpec of(String name, EmbedrecConfig.Model m) {
        String key = "embedrec.models." + name;
        if (m.classpathModel().isPresent() == m.modelPath().isPresent()) {
            throw new ModelLoadException("model '" + name + "': set exactly one of " + key + ".classpath-model and "
                    + key + ".model-path");
        }
        Pooling pooling;
        try {
            pooling = Pooling.valueOf(m.pooling().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("model '" + name + "': " + key + ".pooling is '" + m.pooling()
                    + "'; use mean, cls or max");
        }
        if (m.maxTokens() < 2) {
            throw new ModelLoadException("model '" + name + "': " + key + ".max-tokens must be at least 2");
        }
        boolean cp = m.classpathModel().isPresent();
        String graph = cp ? m.classpathModel().get() : m.modelPath().get().toString();
        return new ModelSpec(name, graph, m.tokenizer(), cp, pooling, m.dimensions(), m.maxTokens(), m.normalize(),
                m.queryPrefix().orElse(""), m.documentPrefix().orElse(""), m.output(), m.isDefault(), m.eager());
    }

    /** A copy that truncates at another length (e.g. 128 to compare with engines that cut there). */
    ModelSpec withMaxTokens(int tokens) {
        return new ModelSpec(name, graph, tokenizer, onClasspath, pooling, dimensions, tokens, normalize, queryPrefix,
                documentPrefix, output, isDefault, eager);
    }

    /** Fails unless the graph and the tokenizer can be found; cheap, so every model is checked at start-up. */
    void checkFiles() {
        for (String f : List.of(graph, tokenizer)) {
            if (onClasspath) {
                if (ModelSpec.class.getClassLoader().getResource(f) == null) {
                    throw new ModelLoadException("model '" + name + "': classpath resource '" + f
                            + "' not found (is the model jar a dependency?)");
                }
            } else {
                Path p = Path.of(f);
                if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                    throw new ModelLoadException("model '" + name + "': file '" + p.toAbsolutePath()
                            + "' does not exist or is not readable");
                }
            }
        }
    }

    /** Where the graph is, as a person would look for it. */
    String graphLocation() {
        return onClasspath ? "classpath:" + graph : Path.of(graph).toAbsolutePath().toString();
    }

    String tokenizerLocation() {
        return onClasspath ? "classpath:" + tokenizer : Path.of(tokenizer).toAbsolutePath().toString();
    }

    InputStream openTokenizer() throws IOException {
        if (onClasspath) {
            InputStream in = ModelSpec.class.getClassLoader().getResourceAsStream(tokenizer);
            if (in == null) {
                throw new IOException("resource not found");
            }
            return in;
        }
        return Files.newInputStream(Path.of(tokenizer));
    }

    byte[] readGraph() throws IOException {
        if (onClasspath) {
            try (InputStream in = ModelSpec.class.getClassLoader().getResourceAsStream(graph)) {
                if (in == null) {
                    throw new IOException("resource not found");
                }
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(Path.of(graph));
    }
}
