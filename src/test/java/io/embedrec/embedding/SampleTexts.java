package io.embedrec.embedding;

import java.util.ArrayList;
import java.util.List;

/** Varied texts for engine tests: short, long, unicode, emoji, code, mixed languages. */
final class SampleTexts {

    private SampleTexts() {
    }

    static final String MEDIUM = "PostgreSQL is a powerful, open source object-relational database system with over "
            + "35 years of active development that has earned it a strong reputation for reliability, feature "
            + "robustness, and performance. pgvector adds vector similarity search: exact and approximate nearest "
            + "neighbour search, single-precision, half-precision, binary, and sparse vectors, L2 distance, inner "
            + "product, cosine distance, L1 distance, Hamming distance, and Jaccard distance.";

    /** About 200 tokens: over LangChain4j's 128, under our 256. */
    static final String LONG = MEDIUM + " " + "It works with any language that has a Postgres client, and you can even "
            + "use it along with other Postgres features such as ACID compliance, point-in-time recovery, JOINs, "
            + "and all of the other great features of Postgres. Store your vectors with the rest of your data. "
            + "Supports indexes like HNSW and IVFFlat, each with their own build and query trade-offs, and "
            + "iterative index scans that keep filtering accurate.";

    /** Well over 256 tokens: cut by both engines. */
    static final String VERY_LONG = (LONG + " ").repeat(3).trim();

    static List<String> all() {
        List<String> t = new ArrayList<>(List.of(
                "hello",
                "Hello, world!",
                "a",
                "The quick brown fox jumps over the lazy dog.",
                "vim",
                "GNU Emacs editor",
                "fast, lightweight web server",
                "Python 3 bindings for the GTK toolkit",
                "library for reading and writing PNG images",
                "text editor with syntax highlighting for over 100 languages",
                "Cheap wireless headphones with long battery life",
                "Noise-cancelling over-ear headphones, 30 h battery",
                "Dark roast coffee beans, 1 kg",
                "Un café noir, s'il vous plaît.",
                "Der schnelle braune Fuchs springt über den faulen Hund.",
                "El rápido zorro marrón salta sobre el perro perezoso.",
                "Быстрая коричневая лиса прыгает через ленивую собаку.",
                "敏捷的棕色狐狸跳过了懒狗。",
                "速い茶色の狐がのろまな犬を飛び越える",
                "빠른 갈색 여우가 게으른 개를 뛰어넘는다",
                "مرحبا بالعالم",
                "שלום עולם",
                "नमस्ते दुनिया",
                "Ελληνικά: γρήγορη καφέ αλεπού",
                "naïve café résumé façade coöperate",
                "I love this! 😍🔥👍",
                "🎉🎉🎉",
                "rocket 🚀 to the moon 🌕",
                "Emoji only at the end 🙂",
                "public static void main(String[] args) { System.out.println(\"hi\"); }",
                "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)",
                "SELECT id, title FROM items WHERE embedding <=> $1 < 0.3 ORDER BY 1 LIMIT 10;",
                "#include <stdio.h>\nint main(void) { return 0; }",
                "curl -s -X POST http://localhost:8080/v1/embeddings -d '{\"input\":\"x\"}'",
                "<html><body><h1>Title</h1><p>para</p></body></html>",
                "{\"json\": [1, 2, 3], \"nested\": {\"a\": null}}",
                "e = mc^2; ∑ x_i / n ≥ √2 ± ∞",
                "3.14159 2.71828 1.41421 42 1,000,000",
                "2024-05-17T10:15:30Z",
                "user@example.com https://example.org/path?q=1&r=2",
                "    leading and trailing spaces    ",
                "tabs\tand\nnew\nlines",
                "ALL CAPS SHOUTING TEXT",
                "MiXeD CaSe WoRdS",
                "repeated repeated repeated repeated repeated",
                "supercalifragilisticexpialidocious antidisestablishmentarianism",
                "Mixed: English, français, Deutsch, 中文, 日本語, and emoji 🌍.",
                "C++ templates vs. Rust generics vs. Java's type erasure",
                "The café's crème brûlée was très délicieuse 🍮",
                "a b c d e f g h i j k l m n o p q r s t u v w x y z",
                "Return policy: items can be returned within 30 days of purchase with receipt.",
                "Zero-copy deserialisation, SIMD-accelerated parsing & a streaming API",
                MEDIUM,
                LONG,
                VERY_LONG));
        return t;
    }
}
