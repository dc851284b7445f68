package io.github.cidrguard.analysis;

/**
 * Sorts an {@code int[]} of indices with a comparator over primitive columns, so that sorting 128-bit keys needs no
 * boxed {@code Integer}s (the JDK sorts primitive arrays only in natural order).
 */
final class IndexSort {
    /** Compares two indices. */
    @FunctionalInterface
    interface IndexComparator {
        int compare(int a, int b);
    }

    private IndexSort() {
    }

    /** Stable merge sort of {@code a} by {@code cmp}. */
    static void sort(int[] a, IndexComparator cmp) {
        if (a.length < 2) {
            return;
        }
        int[] tmp = new int[a.length];
        mergeSort(a, tmp, 0, a.length, cmp);
    }

    private static void mergeSort(int[] a, int[] tmp, int from, int to, IndexComparator cmp) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int x = a[i];
                int j = i - 1;
                while (j >= from && cmp.compare(a[j], x) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid, cmp);
        mergeSort(a, tmp, mid, to, cmp);
        if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && cmp.compare(tmp[i], tmp[j]) <= 0)) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }
}
