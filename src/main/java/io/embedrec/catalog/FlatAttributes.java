package io.embedrec.catalog;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Attributes are flat: at most {@value #MAX_ATTRIBUTES} names of 1–{@value #MAX_NAME} characters, each mapped to a
 * string, a finite number or a boolean (no objects, arrays or nulls), so that filters on them stay simple.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = FlatAttributes.Validator.class)
public @interface FlatAttributes {

    int MAX_ATTRIBUTES = 100;
    int MAX_NAME = 128;
    int MAX_STRING = 10_000;

    String message() default "must be a flat object of strings, numbers and booleans";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<FlatAttributes, Map<String, Object>> {
        @Override
        public boolean isValid(Map<String, Object> attrs, ConstraintValidatorContext ctx) {
            if (attrs == null) {
                return true;
            }
            if (attrs.size() > MAX_ATTRIBUTES) {
                return fail(ctx, "must have at most " + MAX_ATTRIBUTES + " attributes (got " + attrs.size() + ")");
            }
            for (Map.Entry<String, Object> e : attrs.entrySet()) {
                String name = e.getKey();
                Object v = e.getValue();
                if (name.isEmpty() || name.length() > MAX_NAME) {
                    return fail(ctx, "attribute names must be 1–" + MAX_NAME + " characters");
                }
                if (name.indexOf('\0') >= 0) {
                    return fail(ctx, "attribute names must not contain NUL characters");
                }
                if (v == null) {
                    return fail(ctx, "attribute '" + name + "' is null; omit it instead");
                }
                if (v instanceof String s) {
                    if (s.length() > MAX_STRING) {
                        return fail(ctx, "attribute '" + name + "' is longer than " + MAX_STRING + " characters");
                    }
                    if (s.indexOf('\0') >= 0) {
                        return fail(ctx, "attribute '" + name + "' contains a NUL character");
                    }
                } else if (v instanceof Double d && !Double.isFinite(d)
                        || v instanceof Float f && !Float.isFinite(f)) {
                    return fail(ctx, "attribute '" + name + "' is not a finite number");
                } else if (!(v instanceof Number) && !(v instanceof Boolean)) {
                    return fail(ctx, "attribute '" + name + "' must be a string, a number or a boolean, not "
                            + (v instanceof Map ? "an object" : v instanceof Iterable ? "an array" : "that value"));
                }
            }
            return true;
        }

        private static boolean fail(ConstraintValidatorContext ctx, String message) {
            ctx.disableDefaultConstraintViolation();
            ctx.buildConstraintViolationWithTemplate(message.replace("{", "\\{").replace("$", "\\$"))
                    .addConstraintViolation();
            return false;
        }
    }
}
