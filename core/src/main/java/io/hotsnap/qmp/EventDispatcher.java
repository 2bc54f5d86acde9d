package io.hotsnap.qmp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each event, in arrival order, to every subscription and listener, on the reader thread. */
final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final List<QmpEventSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by {@code this}; once set, new subscriptions start ended. */
    private QmpDisconnectedException endedBy;

    QmpEventSubscription subscribe(Predicate<QmpEvent> filter, int capacity) {
        QmpEventSubscription subscription = new QmpEventSubscription(filter, capacity, subscriptions::remove);
        QmpDisconnectedException ended;
        synchronized (this) {
            ended = endedBy;
            if (ended == null) {
                subscriptions.add(subscription);
            }
        }
        if (ended != null) {
            subscription.end(ended);
        }
        return subscription;
    }

    void addListener(Consumer<QmpEvent> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<QmpEvent> listener) {
        listeners.remove(listener);
    }

    void dispatch(QmpEvent event) {
        for (QmpEventSubscription subscription : subscriptions) {
            try {
                subscription.offer(event);
            } catch (RuntimeException e) {
                LOG.warn("Event filter failed on {}; event skipped for that subscriber", event.name(), e);
            }
        }
        for (Consumer<QmpEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Event listener failed on {}", event.name(), e);
            }
        }
    }

    void endAll(QmpDisconnectedException reason) {
        synchronized (this) {
            endedBy = reason;
        }
        subscriptions.forEach(subscription -> subscription.end(reason));
        subscriptions.clear();
    }
}
