package io.embedrec.embedding;

import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The engine on the real all-MiniLM-L6-v2, against LangChain4j's in-process model as the reference. */
class OnnxEmbeddingModelTest {

    static final ModelSpec MINILM = new ModelSpec("all-minilm-l6-v2", "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json", true, Pooling.MEAN, OptionalInt.of(384), 256, true, "", "",
            Optional.empty(), true, false);
    static final EngineSettings SETTINGS = new EngineSettings(2, 768, OrtSession.SessionOptions.OptLevel.ALL_OPT);

    static OnnxEmbeddingModel ours;
    static OnnxEmbeddingModel ours128;
    static List<String> texts;
    static List<Embedding> reference;
    static int referenceTokens;

    @BeforeAll
    static void load() {
        ours = OnnxEmbeddingModel.load(MINILM, SETTINGS, OnnxEmbeddingModel.Listener.NONE);
        ours128 = OnnxEmbeddingModel.load(MINILM.withMaxTokens(128), SETTINGS, OnnxEmbeddingModel.Listener.NONE);
        texts = SampleTexts.all();
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        Response<List<Embedding>> r = new AllMiniLmL6V2EmbeddingModel().embedAll(segments);
        reference = r.content();
        referenceTokens = r.tokenUsage().inputTokenCount();
    }

    @AfterAll
    static void close() {
        ours.close();
        ours128.close();
    }

    @Test
    void matchesLangChain4jWhenTruncatedAlike() {
        assertThat(texts).hasSizeGreaterThanOrEqualTo(50);
        float[][] v = ours128.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(TokenPooling.cosine(v[i], reference.get(i).vector()))
                    .as("text %d: %s", i, texts.get(i))
                    .isGreaterThanOrEqualTo(0.99999);
        }
    }

    @Test
    void keepsUpTo256TokensWhereLangChain4jCutsAt128() {
        int i = texts.indexOf(SampleTexts.LONG);
        EmbeddingResult full = ours.embedDocuments(List.of(SampleTexts.LONG));
        EmbeddingResult cut = ours128.embedDocuments(List.of(SampleTexts.LONG));
        Response<Embedding> lc4j = new AllMiniLmL6V2EmbeddingModel().embed(SampleTexts.LONG);

        assertThat(full.tokensPerText()[0]).isBetween(129, 256);
        assertThat(full.truncated()).isZero();
        assertThat(cut.tokensPerText()[0]).isEqualTo(128);
        assertThat(cut.truncated()).isEqualTo(1);
        // LangChain4j counts word pieces without [CLS] and [SEP]: 126 + 2 = the tokenizer.json's 128
        assertThat(lc4j.tokenUsage().inputTokenCount()).isEqualTo(126);
        // LangChain4j's vector is the 128-token one; ours with 256 tokens sees the rest of the text
        assertThat(TokenPooling.cosine(cut.vectors()[0], lc4j.content().vector())).isGreaterThanOrEqualTo(0.99999);
        assertThat(TokenPooling.cosine(full.vectors()[0], lc4j.content().vector())).isLessThan(0.999);
        assertThat(TokenPooling.cosine(full.vectors()[0], reference.get(i).vector())).isLessThan(0.999);
    }

    @Test
    void countsAndReportsTruncatedInputs() {
        EmbeddingResult r = ours.embedDocuments(List.of("short", SampleTexts.VERY_LONG, SampleTexts.LONG));
        assertThat(r.truncated()).isEqualTo(1);
        assertThat(r.cut()).containsExactly(false, true, false);
        assertThat(r.tokensPerText()[0]).isEqualTo(3);
        assertThat(r.tokensPerText()[1]).isEqualTo(256);
        assertThat(r.tokens()).isEqualTo(3 + 256 + r.tokensPerText()[2]);
    }

    @Test
    void batchedEqualsOneAtATimeInInputOrder() {
        // the 768-token budget cuts these texts into several batches of mixed padding; order must survive the sort
        float[][] batched = ours.embed(texts);
        assertThat(batched.length).isEqualTo(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] single = ours.embed(List.of(texts.get(i)))[0];
            assertThat(batched[i]).as("text %d", i).containsExactly(single, within(1e-5f));
        }
    }

    @Test
    void vectorsAreUnitLength() {
        for (float[] v : ours.embed(List.of("unit", SampleTexts.MEDIUM))) {
            double sum = 0;
            for (float x : v) {
                sum += x * x;
            }
            assertThat(Math.sqrt(sum)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void modelFactsComeFromConfigAndGraph() {
        ModelInfo info = ours.info();
        assertThat(info.name()).isEqualTo("all-minilm-l6-v2");
        assertThat(info.dimensions()).isEqualTo(384);
        assertThat(info.maxTokens()).isEqualTo(256);
        assertThat(info.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(info.normalized()).isTrue();
        assertThat(info.outputs()).containsExactlyInAnyOrder("output_0", "882");
    }

    @Test
    void queryAndDocumentPrefixesArePrepended() {
        ModelSpec e5Style = new ModelSpec("prefixed", MINILM.graph(), MINILM.tokenizer(), true, Pooling.MEAN,
                OptionalInt.empty(), 256, true, "query: ", "passage: ", Optional.empty(), false, false);
        try (OnnxEmbeddingModel m = OnnxEmbeddingModel.load(e5Style, SETTINGS, OnnxEmbeddingModel.Listener.NONE)) {
            assertThat(m.info().dimensions()).isEqualTo(384);
            float[] q = m.embedQueries(List.of("coffee")).vectors()[0];
            float[] d = m.embedDocuments(List.of("coffee")).vectors()[0];
            assertThat(q).containsExactly(ours.embed(List.of("query: coffee"))[0], within(1e-5f));
            assertThat(d).containsExactly(ours.embed(List.of("passage: coffee"))[0], within(1e-5f));
            assertThat(m.embedQueries(List.of("coffee")).tokensPerText()[0]).isEqualTo(5);
        }
    }

    @Test
    void aMissingFileStopsLoadingWithItsName() {
        ModelSpec missing = new ModelSpec("mine", "/nonexistent/model.onnx", "/nonexistent/tokenizer.json", false,
                Pooling.MEAN, OptionalInt.of(384), 256, true, "", "", Optional.empty(), false, false);
        assertThatThrownBy(() -> OnnxEmbeddingModel.load(missing, SETTINGS, OnnxEmbeddingModel.Listener.NONE))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'mine': file '/nonexistent/model.onnx' does not exist or is not readable");
    }

    @Test
    void aCorruptGraphStopsLoadingWithItsNameAndTheReason() throws Exception {
        Path dir = Files.createTempDirectory("embedrec-model");
        Path graph = Files.writeString(dir.resolve("model.onnx"), "not a model");
        Path tok = Files.writeString(dir.resolve("tokenizer.json"), "{}");
        ModelSpec corrupt = new ModelSpec("broken", graph.toString(), tok.toString(), false, Pooling.MEAN,
                OptionalInt.of(384), 256, true, "", "", Optional.empty(), false, false);
        assertThatThrownBy(() -> OnnxEmbeddingModel.load(corrupt, SETTINGS, OnnxEmbeddingModel.Listener.NONE))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("model 'broken': cannot load ONNX graph " + graph + ": ")
                .hasMessageEndingWith("Protobuf parsing failed.");
    }

    @Test
    void aWrongDimensionsSettingStopsLoading() {
        ModelSpec wrong = new ModelSpec("wrong", MINILM.graph(), MINILM.tokenizer(), true, Pooling.MEAN,
                OptionalInt.of(768), 256, true, "", "", Optional.empty(), false, false);
        assertThatThrownBy(() -> OnnxEmbeddingModel.load(wrong, SETTINGS, OnnxEmbeddingModel.Listener.NONE))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'wrong': dimensions is configured as 768 but output 'output_0' of "
                        + "classpath:all-minilm-l6-v2.onnx has 384");
    }
}
