package io.embedrec.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BERT-style encoder run in-process on ONNX Runtime with a Hugging Face tokenizer: tokenize with truncation to the
 * model's max tokens (counted, never silent), sort by length, cut into batches under a token budget, pad per batch,
 * run, pool, normalise, and put the vectors back in input order. One session per model, shared by all threads.
 */
final class OnnxEmbeddingModel implements EmbeddingModel {

    /** Receives what each call and batch did (the metrics live at the CDI edge). */
    interface Listener {
        Listener NONE = new Listener() {
        };

        default void batch(int texts, int paddedTokens) {
        }

        default void embedded(int texts, long tokens, int truncated) {
        }
    }

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final ModelInfo info;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final String tokenOutput;
    private final boolean feedsTokenTypes;
    private final int batchTokens;
    private final Listener listener;

    private OnnxEmbeddingModel(ModelInfo info, OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer,
                               String tokenOutput, boolean feedsTokenTypes, int batchTokens, Listener listener) {
        this.info = info;
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.tokenOutput = tokenOutput;
        this.feedsTokenTypes = feedsTokenTypes;
        this.batchTokens = batchTokens;
        this.listener = listener;
    }

    /** Loads the graph and the tokenizer; any failure names the model, the file and the reason. */
    static OnnxEmbeddingModel load(ModelSpec spec, EngineSettings settings, Listener listener) {
        spec.checkFiles();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(settings.threads());
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(settings.optimization());
            session = spec.onClasspath()
                    ? env.createSession(spec.readGraph(), opts)
                    : env.createSession(spec.graph(), opts);
        } catch (OrtException | IOException | RuntimeException e) {
            throw new ModelLoadException("model '" + spec.name() + "': cannot load ONNX graph " + spec.graphLocation()
                    + ": " + e.getMessage(), e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
                if (!inputs.containsKey(required)) {
                    throw new IllegalStateException(spec.graphLocation() + " has no input '" + required
                            + "' (inputs: " + inputs.keySet() + ")");
                }
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            String tokenOutput = spec.output().orElseGet(() -> firstTokenOutput(outputs));
            if (!(outputs.get(tokenOutput) != null
                    && outputs.get(tokenOutput).getInfo() instanceof TensorInfo t
                    && t.type == OnnxJavaType.FLOAT && t.getShape().length == 3)) {
                throw new IllegalStateException(spec.graphLocation() + " has no float output [batch, tokens, dims]"
                        + " named '" + tokenOutput + "' (outputs: " + outputs.keySet() + ")");
            }
            long graphDims = ((TensorInfo) outputs.get(tokenOutput).getInfo()).getShape()[2];
            int dims;
            if (spec.dimensions().isPresent()) {
                dims = spec.dimensions().getAsInt();
                if (graphDims > 0 && graphDims != dims) {
                    throw new IllegalStateException("dimensions is configured as " + dims + " but output '"
                            + tokenOutput + "' of " + spec.graphLocation() + " has " + graphDims);
                }
            } else if (graphDims > 0) {
                dims = (int) graphDims;
            } else {
                throw new IllegalStateException(spec.graphLocation()
                        + " does not declare its vector size: set dimensions");
            }
            HuggingFaceTokenizer tokenizer = loadTokenizer(spec);
            ModelInfo info = new ModelInfo(spec.name(), dims, spec.maxTokens(), spec.pooling(), spec.normalize(),
                    spec.queryPrefix(), spec.documentPrefix(), List.copyOf(outputs.keySet()));
            return new OnnxEmbeddingModel(info, env, session, tokenizer, tokenOutput,
                    inputs.containsKey(TOKEN_TYPE_IDS), settings.batchTokens(), listener);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw new ModelLoadException("model '" + spec.name() + "': " + e.getMessage(), e);
        }
    }

    private static String firstTokenOutput(Map<String, NodeInfo> outputs) {
        for (NodeInfo n : outputs.values()) {
            if (n.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT && t.getShape().length == 3) {
                return n.getName();
            }
        }
        return "(none)";
    }

    private static HuggingFaceTokenizer loadTokenizer(ModelSpec spec) {
        // the tokenizer.json's own truncation (128 for all-MiniLM-L6-v2) and padding are replaced by ours
        Map<String, String> options = Map.of(
                "maxLength", Integer.toString(spec.maxTokens()),
                "truncation", "true",
                "padding", "false",
                "addSpecialTokens", "true");
        try (InputStream in = spec.openTokenizer()) {
            return HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load tokenizer " + spec.tokenizerLocation() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public EmbeddingResult embedDocuments(List<String> texts) {
        return run(texts, info.documentPrefix());
    }

    @Override
    public EmbeddingResult embedQueries(List<String> texts) {
        return run(texts, info.queryPrefix());
    }

    private EmbeddingResult run(List<String> texts, String prefix) {
        int n = texts.size();
        if (n == 0) {
            return new EmbeddingResult(new float[0][], 0, 0, new int[0], new boolean[0]);
        }
        List<String> input = texts;
        if (!prefix.isEmpty()) {
            input = new ArrayList<>(n);
            for (String t : texts) {
                input.add(prefix + t);
            }
        }
        Encoding[] encodings = tokenizer.batchEncode(input);
        int[] lengths = new int[n];
        long tokens = 0;
        int truncated = 0;
        boolean[] cut = new boolean[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = encodings[i].getIds().length;
            tokens += lengths[i];
            if (encodings[i].exceedMaxLength()) {
                cut[i] = true;
                truncated++;
            }
        }
        float[][] vectors = new float[n][];
        try {
            for (int[] batch : TokenBatcher.plan(lengths, batchTokens)) {
                runBatch(batch, encodings, lengths, vectors);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("model '" + info.name() + "' failed: " + e.getMessage(), e);
        }
        listener.embedded(n, tokens, truncated);
        return new EmbeddingResult(vectors, tokens, truncated, lengths, cut);
    }

    private void runBatch(int[] batch, Encoding[] encodings, int[] lengths, float[][] vectors) throws OrtException {
        int rows = batch.length;
        int seq = 0;
        for (int i : batch) {
            seq = Math.max(seq, lengths[i]);
        }
        long[] ids = new long[rows * seq];
        long[] mask = new long[rows * seq];
        long[] types = feedsTokenTypes ? new long[rows * seq] : null;
        for (int r = 0; r < rows; r++) {
            Encoding e = encodings[batch[r]];
            int len = lengths[batch[r]];
            System.arraycopy(e.getIds(), 0, ids, r * seq, len);
            System.arraycopy(e.getAttentionMask(), 0, mask, r * seq, len);
            if (types != null) {
                System.arraycopy(e.getTypeIds(), 0, types, r * seq, len);
            }
        }
        long[] shape = {rows, seq};
        Map<String, OnnxTensor> feed = new HashMap<>(4);
        try {
            feed.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            feed.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (types != null) {
                feed.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(feed, Set.of(tokenOutput))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                FloatBuffer fb = out.getFloatBuffer();
                float[] hidden;
                if (fb.hasArray() && fb.arrayOffset() == 0) {
                    hidden = fb.array();
                } else {
                    hidden = new float[fb.remaining()];
                    fb.get(hidden);
                }
                int dims = info.dimensions();
                for (int r = 0; r < rows; r++) {
                    float[] v = new float[dims];
                    TokenPooling.pool(info.pooling(), hidden, mask, r, seq, dims, v);
                    if (info.normalized()) {
                        TokenPooling.l2Normalize(v);
                    }
                    vectors[batch[r]] = v;
                }
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
        listener.batch(rows, rows * seq);
    }

    @Override
    public void close() {
        closeQuietly(session);
        tokenizer.close();
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // shutting down: nothing to do about a session that will not close
        }
    }
}
