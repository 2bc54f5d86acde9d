package io.hotsnap.app;

import io.hotsnap.cli.HotsnapCli;
import javafx.application.Application;

/**
 * Entry point of {@code hotsnap-console.jar}.
 *
 * <p>Without arguments it opens the JavaFX console; with arguments it is the headless
 * {@code hotsnap} command line (same jar, no display needed). This is deliberately a plain class:
 * a fat jar whose main class extends {@link Application} fails on the classpath with "JavaFX
 * runtime components are missing".
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            Application.launch(HotsnapConsole.class);
        } else {
            HotsnapCli.main(args);
        }
    }
}
