package io.hotsnap.protocol;

import java.time.Duration;

/**
 * What an {@link Agent} does with each request: one method per request type, returning the
 * {@code ok} result (anything Jackson turns into a JSON object; null for {@code {}}) or throwing. A
 * {@link ProtocolException} keeps its code in the {@code error} reply; any other exception becomes
 * {@code failed} with its message.
 *
 * <p>Methods run on worker threads, several at once (a slow {@code snapshot} must not hold up an
 * {@code abort}), so implementations are thread-safe. {@code ping} alone runs on the agent's reader
 * thread, to answer at once: it must only read the clock. Every request type defaults to
 * {@code unsupported}, so a new type never breaks an existing handler.
 */
public interface AgentHandler {

    default Object hello(Request.Hello request) throws Exception {
        throw ProtocolException.unsupported("hello");
    }

    default Object inventory(Request.Inventory request) throws Exception {
        throw ProtocolException.unsupported("inventory");
    }

    default Object ping(Request.Ping request) throws Exception {
        throw ProtocolException.unsupported("ping");
    }

    default Object prepare(Request.Prepare request) throws Exception {
        throw ProtocolException.unsupported("prepare");
    }

    default Object hold(Request.Hold request) throws Exception {
        throw ProtocolException.unsupported("hold");
    }

    default Object snapshot(Request.Snapshot request) throws Exception {
        throw ProtocolException.unsupported("snapshot");
    }

    default Object release(Request.Release request) throws Exception {
        throw ProtocolException.unsupported("release");
    }

    default Object abort(Request.Abort request) throws Exception {
        throw ProtocolException.unsupported("abort");
    }

    default Object commit(Request.Commit request) throws Exception {
        throw ProtocolException.unsupported("commit");
    }

    default Object traffic(Request.Traffic request) throws Exception {
        throw ProtocolException.unsupported("traffic");
    }

    default Object record(Request.Record request) throws Exception {
        throw ProtocolException.unsupported("record");
    }

    default Object snapshots(Request.Snapshots request) throws Exception {
        throw ProtocolException.unsupported("snapshots");
    }

    default Object delete(Request.Delete request) throws Exception {
        throw ProtocolException.unsupported("delete");
    }

    default Object detach(Request.Detach request) throws Exception {
        throw ProtocolException.unsupported("detach");
    }

    default Object restorePreflight(Request.RestorePreflight request) throws Exception {
        throw ProtocolException.unsupported("restore-preflight");
    }

    default Object restoreLoad(Request.RestoreLoad request) throws Exception {
        throw ProtocolException.unsupported("restore-load");
    }

    default Object restoreResume(Request.RestoreResume request) throws Exception {
        throw ProtocolException.unsupported("restore-resume");
    }

    default Object restoreTraffic(Request.RestoreTraffic request) throws Exception {
        throw ProtocolException.unsupported("restore-traffic");
    }

    default Object restoreAbort(Request.RestoreAbort request) throws Exception {
        throw ProtocolException.unsupported("restore-abort");
    }

    default Object restoreRecord(Request.RestoreRecord request) throws Exception {
        throw ProtocolException.unsupported("restore-record");
    }

    /**
     * The coordinator says goodbye; the agent exits after the reply. Release anything still held
     * here: a coordinator that shuts an agent down mid-snapshot is still owed running VMs.
     */
    default Object shutdown(Request.Shutdown request) throws Exception {
        return null;
    }

    /**
     * Whether anything is paused, held, prepared or loaded here for the coordinator now: the agent
     * then expects a line from it at least every {@link io.hotsnap.settings.AgentBounds#HEARTBEAT_SILENCE}
     * (its {@code ping}s), and calls {@link #coordinatorSilent} when none comes. Called often, from
     * the agent's watchdog thread: only reads state.
     */
    default boolean awaitsCoordinator() {
        return false;
    }

    /**
     * The coordinator's link is open but nothing has come from it for {@code silence} while
     * {@link #awaitsCoordinator()}: it is stopped or cut off. Release as {@link #coordinatorLost()}
     * does (resume, release, discard loads not resumed); the agent goes on serving, and this may be
     * called again while the silence lasts (for what a request still running made meanwhile).
     */
    default void coordinatorSilent(Duration silence) {
    }

    /**
     * The coordinator is gone (stdin ended or stdout broke) without a {@code shutdown}. Called once,
     * on the reader thread, possibly while requests still run; the agent exits right after. This is
     * the safety net of DESIGN §3/§4: resume every paused VM and release every hold, at once.
     */
    void coordinatorLost();
}
