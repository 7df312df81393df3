package io.embedrec.common;

/** Conversions to the forms JDBC array parameters and pgvector's text input need. */
public final class PgArrays {

    private PgArrays() {
    }

    /** A long[] as the Long[] that {@code Connection.createArrayOf("bigint", ...)} takes. */
    public static Long[] boxed(long[] a) {
        Long[] out = new Long[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k];
        }
        return out;
    }

    /** pgvector's text form, e.g. {@code [0.1,0.2]}, for a parameter cast to vector or halfvec. */
    public static String vectorLiteral(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 12).append('[');
        for (int k = 0; k < v.length; k++) {
            if (k > 0) {
                sb.append(',');
            }
            sb.append(v[k]);
        }
        return sb.append(']').toString();
    }
}
