package io.hotsnap.app.engine;

import java.util.concurrent.CompletionException;

/** What a screen shows for a failed engine call: the cause's own message, not the future's wrapper. */
public final class Failure {

    private Failure() {
    }

    public static String reason(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
