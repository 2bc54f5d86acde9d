package io.hotsnap.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and maximum of a series of measurements, with every value kept (in the order measured) so
 * that a reader can check the summary. An empty series has no median and no maximum (null in JSON).
 */
public record Stats(Double median, Double max, List<Double> all) {

    public Stats {
        all = List.copyOf(all);
    }

    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return new Stats(null, null, List.of());
        }
        // Rounded to 4 decimals: the mean of two middle values must not print as 581.4680000000001.
        return new Stats(Math.round(median(values) * 1e4) / 1e4, max(values), values);
    }

    /** The middle value of an odd count, the mean of the two middle values of an even count. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    public static double max(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the maximum of no values is undefined");
        }
        return Collections.max(values);
    }
}
