package io.hotsnap.app.dashboard;

import java.util.Collection;

/** Median, 99th percentile (nearest rank) and maximum of a benchmark's samples, in ms. */
record Distribution(int samples, double medianMs, double p99Ms, double maxMs) {

    static Distribution ofMillis(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Distribution(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Distribution(sorted.length, rank(sorted, 0.5), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return String.format("median %6.1f ms, p99 %6.1f ms, max %6.1f ms (%d samples)", medianMs, p99Ms, maxMs, samples);
    }
}
