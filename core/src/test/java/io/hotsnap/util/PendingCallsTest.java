package io.hotsnap.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PendingCallsTest {

    private final PendingCalls<String> calls = new PendingCalls<>((name, id, timeout) ->
            new IllegalStateException("no reply to " + name + " #" + id), Runnable::run);

    @Test
    void eachCallGetsAFreshIdAndIsTakenOnceByIt() {
        CompletableFuture<String> first = new CompletableFuture<>();
        long a = calls.register("a", first, Duration.ofMinutes(1));
        long b = calls.register("b", new CompletableFuture<>(), Duration.ofMinutes(1));

        assertNotEquals(a, b);
        PendingCalls.Call<String> taken = calls.take(a).orElseThrow();
        assertEquals("a", taken.name());
        assertSame(first, taken.future());
        assertTrue(calls.take(a).isEmpty());
    }

    @Test
    void aCallWithoutReplyFailsWithTheTimeoutFailureAndLeavesTheTable() {
        CompletableFuture<String> future = new CompletableFuture<>();
        long id = calls.register("slow", future, Duration.ofMillis(20));

        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        assertEquals("no reply to slow #" + id, e.getCause().getMessage());
        assertTrue(calls.take(id).isEmpty());
    }

    @Test
    void endAllFailsWaitingCallsAndEveryLaterOne() {
        CompletableFuture<String> waiting = new CompletableFuture<>();
        calls.register("waiting", waiting, Duration.ofMinutes(1));
        RuntimeException reason = new RuntimeException("gone");

        calls.endAll(reason);
        CompletableFuture<String> later = new CompletableFuture<>();
        long id = calls.register("later", later, Duration.ofMinutes(1));

        assertSame(reason, assertThrows(ExecutionException.class, waiting::get).getCause());
        assertSame(reason, assertThrows(ExecutionException.class, later::get).getCause());
        assertTrue(calls.take(id).isEmpty());
    }
}
