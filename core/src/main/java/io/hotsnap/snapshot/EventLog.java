package io.hotsnap.snapshot;

import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A job's view of its VM's events: waiting for one kind never throws away another (a disk job's
 * completion that arrives while we wait on the migration is still there when we ask for it), and
 * every event is kept for the snapshot's timeline.
 */
final class EventLog {

    private final QmpEventSubscription subscription;
    private final LinkedList<QmpEvent> unclaimed = new LinkedList<>();
    private final List<QmpEvent> all = new ArrayList<>();

    EventLog(QmpEventSubscription subscription) {
        this.subscription = subscription;
    }

    /** The first unclaimed event that matches, waiting up to {@code bound}; empty if none came. */
    Optional<QmpEvent> next(Predicate<QmpEvent> match, Duration bound) {
        Optional<QmpEvent> waiting = claim(match);
        if (waiting.isPresent()) {
            return waiting;
        }
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<QmpEvent> e = subscription.poll(Duration.ofNanos(left));
            if (e.isEmpty()) {
                return e;
            }
            all.add(e.get());
            if (match.test(e.get())) {
                return e;
            }
            unclaimed.add(e.get());
        }
    }

    QmpEvent await(Predicate<QmpEvent> match, Duration bound) {
        return next(match, bound).orElseThrow(() -> new QmpTimeoutException("no matching QMP event within " + bound));
    }

    QmpEvent await(String name, Duration bound) {
        return next(e -> e.name().equals(name), bound)
                .orElseThrow(() -> new QmpTimeoutException("no " + name + " event within " + bound));
    }

    List<QmpEvent> all() {
        return List.copyOf(all);
    }

    private Optional<QmpEvent> claim(Predicate<QmpEvent> match) {
        for (Iterator<QmpEvent> it = unclaimed.iterator(); it.hasNext(); ) {
            QmpEvent e = it.next();
            if (match.test(e)) {
                it.remove();
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
