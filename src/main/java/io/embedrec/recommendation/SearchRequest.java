package io.embedrec.recommendation;

import com.fasterxml.jackson.databind.JsonNode;
import io.embedrec.common.NoNul;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /v1/search}; {@code rules} names a saved rule set ({@code "none"}: no rules) or gives the rules
 * themselves, else the default set applies.
 */
public record SearchRequest(
        @NotBlank(message = "is required") @Size(max = 2000, message = "must be at most 2000 characters") @NoNul
        String query,
        @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000")
        Integer k,
        Filters filters,
        @Pattern(regexp = "semantic|keyword|hybrid", message = "must be 'semantic', 'keyword' or 'hybrid'")
        String mode,
        String space,
        @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000")
        Integer efSearch,
        JsonNode rules) {
}
