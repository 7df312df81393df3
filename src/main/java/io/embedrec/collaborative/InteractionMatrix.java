package io.embedrec.collaborative;

import java.util.Arrays;

/**
 * A sparse users x items matrix of net interaction weights, stored twice in compressed sparse rows: by user (the
 * items each user touched) and by item (the users who touched each item), both in ascending index order. Pure: no
 * I/O, built from parallel arrays of (user, item, weight) triplets.
 *
 * <p>Duplicate (user, item) pairs are summed, so a user's net weight on an item is the sum of their event weights
 * (a like and a dislike cancel out). For implicit-feedback training the net weight {@code w} reads as a preference
 * {@code p = 1} when {@code w > 0} and {@code p = 0} otherwise, held with confidence {@code c = 1 + alpha |w|}
 * (Hu, Koren, Volinsky 2008, eq. 2 and 3, with |w| in place of their r: a strong dislike is a confident 0, not an
 * unknown); pairs not stored are {@code p = 0, c = 1}.
 */
public final class InteractionMatrix {

    private final int users;
    private final int items;
    private final int[] userStart;
    private final int[] userItems;
    private final double[] userWeights;
    private final int[] itemStart;
    private final int[] itemUsers;
    private final double[] itemWeights;

    private InteractionMatrix(int users, int items, int[] userStart, int[] userItems, double[] userWeights,
                              int[] itemStart, int[] itemUsers, double[] itemWeights) {
        this.users = users;
        this.items = items;
        this.userStart = userStart;
        this.userItems = userItems;
        this.userWeights = userWeights;
        this.itemStart = itemStart;
        this.itemUsers = itemUsers;
        this.itemWeights = itemWeights;
    }

    /** Builds the matrix from all of the given triplets. */
    public static InteractionMatrix of(int users, int items, int[] user, int[] item, double[] weight) {
        if (user.length != item.length || user.length != weight.length) {
            throw new IllegalArgumentException("user, item and weight arrays differ in length: " + user.length + ", "
                    + item.length + ", " + weight.length);
        }
        return of(users, items, user, item, weight, user.length);
    }

    /**
     * Builds the matrix from the first {@code n} triplets (the arrays may be larger buffers). Two stable counting
     * sorts (by item, then by user) order the triplets by (user, item) in O(n + users + items), so duplicates are
     * adjacent and summed in input order: the result does not depend on anything but the input.
     *
     * @throws IllegalArgumentException on an index out of range or a weight that is not finite
     */
    public static InteractionMatrix of(int users, int items, int[] user, int[] item, double[] weight, int n) {
        if (users < 0 || items < 0 || n < 0 || n > user.length || n > item.length || n > weight.length) {
            throw new IllegalArgumentException("bad sizes: " + users + " users, " + items + " items, " + n
                    + " triplets");
        }
        for (int k = 0; k < n; k++) {
            if (user[k] < 0 || user[k] >= users || item[k] < 0 || item[k] >= items) {
                throw new IllegalArgumentException("triplet " + k + " (" + user[k] + ", " + item[k]
                        + ") is outside " + users + " x " + items);
            }
            if (!Double.isFinite(weight[k])) {
                throw new IllegalArgumentException("triplet " + k + " has weight " + weight[k]);
            }
        }
        int[] byItem = countingOrder(item, n, items, null);
        int[] order = countingOrder(user, n, users, byItem);

        // merge duplicates: order is by (user, item), so equal pairs are adjacent
        int[] mergedUser = new int[n];
        int[] mergedItem = new int[n];
        double[] mergedWeight = new double[n];
        int m = -1;
        for (int k = 0; k < n; k++) {
            int t = order[k];
            if (m >= 0 && mergedUser[m] == user[t] && mergedItem[m] == item[t]) {
                mergedWeight[m] += weight[t];
            } else {
                m++;
                mergedUser[m] = user[t];
                mergedItem[m] = item[t];
                mergedWeight[m] = weight[t];
            }
        }
        int nnz = m + 1;
        int[] userStart = starts(mergedUser, nnz, users);
        int[] userItems = Arrays.copyOf(mergedItem, nnz);
        double[] userWeights = Arrays.copyOf(mergedWeight, nnz);

        // the transpose: walking entries in user order fills each item's row in ascending user order
        int[] itemStart = starts(mergedItem, nnz, items);
        int[] fill = Arrays.copyOf(itemStart, items);
        int[] itemUsers = new int[nnz];
        double[] itemWeights = new double[nnz];
        for (int k = 0; k < nnz; k++) {
            int at = fill[mergedItem[k]]++;
            itemUsers[at] = mergedUser[k];
            itemWeights[at] = mergedWeight[k];
        }
        return new InteractionMatrix(users, items, userStart, userItems, userWeights, itemStart, itemUsers,
                itemWeights);
    }

    /** Stable counting sort of triplet indices by {@code key} (within the order {@code within}, or input order). */
    private static int[] countingOrder(int[] key, int n, int range, int[] within) {
        int[] start = starts(key, n, range);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            int t = within == null ? k : within[k];
            out[start[key[t]]++] = t;
        }
        return out;
    }

    /** Where each key's run begins once the first {@code n} keys are sorted: prefix sums of their counts. */
    private static int[] starts(int[] key, int n, int range) {
        int[] start = new int[range + 1];
        for (int k = 0; k < n; k++) {
            start[key[k] + 1]++;
        }
        for (int r = 0; r < range; r++) {
            start[r + 1] += start[r];
        }
        return start;
    }

    public int users() {
        return users;
    }

    public int items() {
        return items;
    }

    /** Stored (user, item) pairs after summing duplicates. */
    public int nonZeros() {
        return userItems.length;
    }

    /** The net weight of a pair; 0 when it is not stored. */
    public double weight(int user, int item) {
        int at = Arrays.binarySearch(userItems, userStart[user], userStart[user + 1], item);
        return at >= 0 ? userWeights[at] : 0;
    }

    /** The items a user touched, ascending (a copy). */
    public int[] itemsOf(int user) {
        return Arrays.copyOfRange(userItems, userStart[user], userStart[user + 1]);
    }

    /** The user's net weights, aligned with {@link #itemsOf(int)} (a copy). */
    public double[] weightsOf(int user) {
        return Arrays.copyOfRange(userWeights, userStart[user], userStart[user + 1]);
    }

    /** The users who touched an item, ascending (a copy). */
    public int[] usersOf(int item) {
        return Arrays.copyOfRange(itemUsers, itemStart[item], itemStart[item + 1]);
    }

    /** Users with a positive net weight on this item. */
    public int positiveUsers(int item) {
        int n = 0;
        for (int k = itemStart[item]; k < itemStart[item + 1]; k++) {
            if (itemWeights[k] > 0) {
                n++;
            }
        }
        return n;
    }

    /** One side of the matrix as the trainer reads it: rows of (column, weight), compressed. */
    record Side(int rows, int[] start, int[] columns, double[] weights) {
    }

    /** Rows are users, columns items. */
    Side byUser() {
        return new Side(users, userStart, userItems, userWeights);
    }

    /** Rows are items, columns users. */
    Side byItem() {
        return new Side(items, itemStart, itemUsers, itemWeights);
    }
}
