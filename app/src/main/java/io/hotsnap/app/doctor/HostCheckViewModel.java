package io.hotsnap.app.doctor;

import io.hotsnap.app.engine.Failure;
import io.hotsnap.protocol.DoctorResult;
import io.hotsnap.protocol.HostCheck;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One host's check in the console: the lines its agent (and the clock pings) gave, and a summary.
 * The check runs off the FX thread ({@code check} hands back a future); its lines arrive through
 * {@code fx}.
 */
public final class HostCheckViewModel {

    private final String host;
    private final Supplier<CompletableFuture<DoctorResult>> check;
    private final Executor fx;
    private final ObservableList<HostCheck> lines = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");

    public HostCheckViewModel(String host, Supplier<CompletableFuture<DoctorResult>> check, Executor fx) {
        this.host = host;
        this.check = check;
        this.fx = fx;
    }

    public String host() {
        return host;
    }

    /** Asks the host again; the lines shown stay until the new ones arrive. */
    public CompletableFuture<Void> run() {
        running.set(true);
        summary.set("Checking " + host + "…");
        return check.get().handleAsync((result, e) -> {
            running.set(false);
            if (e != null) {
                lines.clear();
                summary.set("Could not check " + host + ": " + Failure.reason(e));
            } else {
                lines.setAll(result.checks());
                summary.set(summary(result));
            }
            return null;
        }, fx);
    }

    static String summary(DoctorResult result) {
        Map<HostCheck.Status, Long> counts = result.checks().stream().collect(Collectors.groupingBy(HostCheck::status, Collectors.counting()));
        String tally = Arrays.stream(HostCheck.Status.values()).filter(counts::containsKey)
                .map(s -> counts.get(s) + " " + s.wireName()).collect(Collectors.joining(", "));
        return result.host() + ": " + tally + (result.fails() ? " — some modes cannot run here; each failing line says how to fix it"
                : " — every mode can run here");
    }

    public ObservableList<HostCheck> lines() {
        return lines;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The modes a line affects, as the dialog shows them. */
    public static String modes(HostCheck line) {
        return String.join(", ", line.modes());
    }
}
