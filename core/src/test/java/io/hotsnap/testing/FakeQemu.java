package io.hotsnap.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A VM's QMP socket with no QEMU answering on it, for the tests of what the engine does when QEMU
 * is there but silent, or gone: a socket that takes connections and never greets, the socket file
 * a crashed QEMU leaves, a listener in a process of its own. Closing it stops the listener and
 * leaves the socket file, as a crashed QEMU does.
 */
public final class FakeQemu implements AutoCloseable {

    private final ServerSocketChannel listener;

    private FakeQemu(ServerSocketChannel listener) {
        this.listener = listener;
    }

    /** Listening in this JVM and never accepting: a connect succeeds, the QMP greeting never comes. */
    public static FakeQemu mute(Path socket) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new FakeQemu(listener);
    }

    /** The socket file a crashed QEMU leaves behind: there, with nobody listening on it. */
    public static void stale(Path socket) throws IOException {
        mute(socket).close();
    }

    /**
     * A mute listener in a process of its own (python3), returned once it listens: for what must
     * find, or kill, the process that serves a socket. The caller ends it.
     */
    public static Process inOwnProcess(Path socket) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", "import socket,sys,time\ns=socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1])\n"
                + "s.listen()\ntime.sleep(600)", socket.toString()).start();
        // The file appears at bind(), a moment before listen(): a connect is what shows it listens.
        await("the stand-in QEMU listens on " + socket).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> accepts(socket));
        return p;
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
