package io.hotsnap.app.dashboard;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.testfx.api.FxToolkit;

/** The FX thread for tests: start it, run on it, wait for it. */
final class Fx {

    private Fx() {
    }

    static void start() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    static <T> T call(Callable<T> work) throws Exception {
        return FxThread.call(work);
    }

    /** Polls {@code condition} on the FX thread until it holds. */
    static void waitUntil(String what, BooleanSupplier condition) {
        await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> call(condition::getAsBoolean));
    }
}
