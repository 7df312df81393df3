package io.embedrec.common;

import java.util.List;
import java.util.UUID;

/**
 * Events that quote logged answers were accepted (fired in the accepting transaction): the answers' ids and each
 * event's type, aligned, for click-through attribution. Replays may repeat a pair; observers must be idempotent.
 */
public record AnswersEngaged(List<UUID> recommendationIds, List<String> types) {
}
