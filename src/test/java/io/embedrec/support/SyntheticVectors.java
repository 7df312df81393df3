package io.embedrec.support;

import io.embedrec.common.PgArrays;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Random;

/** Synthetic clustered embeddings (no model), written straight into a space's vector table. */
public final class SyntheticVectors {

    /** The vectors and, for each, the cluster it was drawn around. */
    public record Clustered(float[][] vectors, int[] cluster) {
    }

    private SyntheticVectors() {
    }

    /**
     * Unit vectors around {@code clusters} random centres, each cluster spread along a few directions of its own
     * plus a little isotropic noise: like real embeddings, a low intrinsic dimension in a high-dimensional space.
     */
    public static Clustered clustered(Random rnd, int items, int dims, int clusters) {
        int spread = 8;
        float[][][] axes = new float[clusters][spread + 1][dims];
        for (float[][] c : axes) {
            for (float[] axis : c) {
                for (int d = 0; d < dims; d++) {
                    axis[d] = (float) rnd.nextGaussian();
                }
            }
        }
        float[][] out = new float[items][dims];
        int[] of = new int[items];
        for (int g = 0; g < items; g++) {
            of[g] = rnd.nextInt(clusters);
            float[][] c = axes[of[g]];
            float[] v = out[g];
            System.arraycopy(c[0], 0, v, 0, dims);
            for (int a = 1; a <= spread; a++) {
                float w = (float) (rnd.nextGaussian() * 0.5);
                for (int d = 0; d < dims; d++) {
                    v[d] += w * c[a][d];
                }
            }
            double norm = 0;
            for (int d = 0; d < dims; d++) {
                v[d] += (float) (rnd.nextGaussian() * 0.1);
                norm += (double) v[d] * v[d];
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dims; d++) {
                v[d] *= inv;
            }
        }
        return new Clustered(out, of);
    }

    /** Writes {@code vectors[g]} as the vector of the item whose id is {@code prefix + g}, with one COPY. */
    public static void copy(String table, String prefix, float[][] vectors) {
        try (Connection c = TestDb.connect()) {
            int dims = vectors.length == 0 ? 1 : vectors[0].length;
            c.createStatement().execute("CREATE TEMP TABLE staging (g int, e vector(" + dims + "))");
            StringBuilder rows = new StringBuilder();
            for (int g = 0; g < vectors.length; g++) {
                rows.append(g).append('\t').append(PgArrays.vectorLiteral(vectors[g])).append('\n');
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY staging FROM STDIN",
                    new StringReader(rows.toString()));
            try (var insert = c.prepareStatement("INSERT INTO " + table + " (item_pk, embedding) "
                    + "SELECT i.pk, s.e FROM staging s JOIN items i ON i.external_id = ? || s.g")) {
                insert.setString(1, prefix);
                insert.executeUpdate();
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
