package io.embedrec.embedding;

/** How a sequence of token vectors becomes one text vector. */
public enum Pooling {
    /** Mean of the token vectors where the attention mask is 1 (sentence-transformers' default). */
    MEAN,
    /** The first ([CLS]) token's vector. */
    CLS,
    /** Element-wise maximum over unmasked tokens. */
    MAX
}
