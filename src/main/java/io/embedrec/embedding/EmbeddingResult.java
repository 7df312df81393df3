package io.embedrec.embedding;

/**
 * Vectors for a list of texts, in input order, with what it cost.
 *
 * @param vectors       one vector per input
 * @param tokens        total tokens fed to the model (after truncation, special tokens included)
 * @param truncated     how many inputs were longer than the model's max tokens and were cut
 * @param tokensPerText tokens fed to the model for each input, in input order
 * @param cut           which inputs were truncated, in input order
 */
public record EmbeddingResult(float[][] vectors, long tokens, int truncated, int[] tokensPerText, boolean[] cut) {
}
