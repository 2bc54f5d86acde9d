package io.hotsnap.app.dashboard;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javafx.application.Platform;

/** Work handed to the FX thread by another thread that waits for its result (the bench, tests). */
public final class FxThread {

    private FxThread() {
    }

    /** Runs {@code work} on the FX thread and waits for its result; its failure is rethrown here. */
    public static <T> T call(Callable<T> work) throws InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("on the FX thread: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
