package io.hotsnap.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real lab of three guests shared by every integration test of a test run: booting guests
 * under TCG costs seconds, so it happens once. It has its own names, bridge and subnet, so it runs
 * beside an administrator's own lab, and it is taken down when the run ends, failed or not.
 * Tests receive it as a {@link Lab} parameter.
 */
public final class TestLab implements ParameterResolver {

    public static final int VMS = 3;

    private static final String KEY = "hotsnap-test-lab";

    public static LabConfig config() {
        LabConfig defaults = LabConfig.defaults();
        return defaults.withVms(VMS)
                .withDir(defaults.socketDir().resolve("it-lab"))
                .withIdentity("it", "hsbr-it", "10.78.0");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> new Running(), Running.class).lab;
    }

    /** Closed by JUnit when the whole run ends. */
    private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final Lab lab = new Lab(config(), Timeouts.defaults());

        Running() {
            if (lab.isUp()) {
                lab.down(note -> { });
            }
            List<LabVmStatus> vms = lab.up(note -> System.err.println("[test lab] " + note));
            System.err.println("[test lab] up: " + vms.stream().map(LabVmStatus::name).toList());
        }

        @Override
        public void close() {
            lab.down(note -> System.err.println("[test lab] " + note));
        }
    }

    /**
     * A counter of a lab VM's tap ({@code rx_bytes}: what the guest sent, {@code tx_bytes}: what
     * it received): how the tests see its TCP stream without entering it.
     */
    public static long tapBytes(String tap, String counter) {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", tap, "statistics", counter)).strip());
        } catch (IOException e) {
            throw new AssertionError("no counters for " + tap, e);
        }
    }

    /** {@link #tapBytes(String, String)} for every VM, by tap. */
    public static Map<String, Long> tapBytes(List<LabVmStatus> vms, String counter) {
        Map<String, Long> bytes = new HashMap<>();
        vms.forEach(vm -> bytes.put(vm.tap(), tapBytes(vm.tap(), counter)));
        return bytes;
    }

    /**
     * Waits until every VM both sends and receives again (200 kB each way within the bound): its
     * TCP streams flow. Fails the test with the counters otherwise.
     */
    public static void awaitStreamsFlowing(List<LabVmStatus> vms, Duration bound) {
        Map<String, Long> before = tapBytes(vms, "rx_bytes");
        Map<String, Long> beforeIn = tapBytes(vms, "tx_bytes");
        await().atMost(bound).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Long> now = tapBytes(vms, "rx_bytes");
            Map<String, Long> nowIn = tapBytes(vms, "tx_bytes");
            boolean flowing = before.keySet().stream()
                    .allMatch(t -> now.get(t) - before.get(t) > 200_000 && nowIn.get(t) - beforeIn.get(t) > 200_000);
            assertTrue(flowing, "TCP streams are not flowing: sent " + now + " from " + before + ", received " + nowIn
                    + " from " + beforeIn);
        });
    }

    /**
     * Within {@code bound} of {@code fromNanos} (a fault), seen from outside QEMU (its QMP socket may
     * still be an agent's): every guest ticks again (not paused, not stalled on a blocked copy) and,
     * with {@code streams}, its TCP streams flow both ways (not held).
     */
    public static void awaitRunningAndHearing(List<LabVmStatus> vms, long fromNanos, Duration bound, boolean streams) {
        long deadline = fromNanos + bound.toNanos();
        for (LabVmStatus vm : vms) {
            long tick = SerialLog.lastTick(Path.of(vm.serialLog())).orElse(-1);
            try {
                await().atMost(leftOf(deadline)).pollInterval(Duration.ofMillis(100))
                        .until(() -> SerialLog.lastTick(Path.of(vm.serialLog())).orElse(-1) > tick + 2);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(vm.name() + "'s guest stopped ticking at " + tick + " for " + bound + " after the fault; QEMU: "
                        + qemuSays(vm), e);
            }
        }
        if (streams) {
            awaitStreamsFlowing(vms, leftOf(deadline));
        }
    }

    /** What is left until {@code deadline} ({@link System#nanoTime()}), and a second at least: what a check needs once. */
    public static Duration leftOf(long deadline) {
        return Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
    }

    private static String qemuSays(LabVmStatus vm) {
        try {
            return VmProbe.of(Path.of(vm.qmp())).toString();
        } catch (RuntimeException e) {
            return "no answer (" + e.getMessage() + ")";
        }
    }
}
