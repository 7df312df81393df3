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

    /**
     * Decodes {@code array_send} of a one-dimensional float8[] without NULLs (header: ndim, has-null flag, element
     * type, then size and lower bound; each element: length 8 and the big-endian double). Reading the array as text
     * made pgjdbc parse every number.
     */
    public static double[] decodeFloat8(byte[] sent) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(sent);
        int ndim = buf.getInt();
        if (ndim == 0) {
            return new double[0];
        }
        if (ndim != 1 || buf.getInt() != 0) {
            throw new IllegalArgumentException("expected a one-dimensional float8 array without NULLs");
        }
        buf.getInt();
        int n = buf.getInt();
        buf.getInt();
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            buf.getInt();
            out[k] = buf.getDouble();
        }
        return out;
    }
}
