package io.embedrec.evaluation;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Body of {@code POST /v1/evaluations}; every field is optional. */
public record EvaluationRequest(
        @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000")
        Integer k,
        @DecimalMin(value = "0", inclusive = false, message = "must be between 0 and 1 (exclusive)")
        @DecimalMax(value = "1", inclusive = false, message = "must be between 0 and 1 (exclusive)")
        Double testFraction,
        Long seed,
        String space,
        /* true: first choose the hybrid's weights on a validation split carved from the train part */
        Boolean tune) {
}
