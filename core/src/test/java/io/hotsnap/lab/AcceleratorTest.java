package io.hotsnap.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --accel auto} on host trees laid out like the ones we meet. */
class AcceleratorTest {

    @TempDir
    Path root;

    private void host(boolean kvmDevice, boolean pvm, String flags) throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.createDirectories(root.resolve("proc"));
        if (kvmDevice) {
            Files.writeString(root.resolve("dev/kvm"), "");
        }
        if (pvm) {
            Files.createDirectories(root.resolve("sys/module/kvm_pvm"));
        }
        Files.writeString(root.resolve("proc/cpuinfo"), "processor\t: 0\nflags\t\t: fpu " + flags + " sse2\n");
    }

    @Test
    void pvmKvmDeviceFallsBackToTcgAndSaysWhy() throws Exception {
        host(true, true, "");
        Accelerator.Choice c = Accelerator.probe(root);
        assertEquals(Accelerator.TCG, c.accelerator());
        assertTrue(c.reason().contains("PVM"), c.reason());
    }

    @Test
    void noKvmDeviceMeansTcg() throws Exception {
        host(false, false, "vmx");
        assertEquals(Accelerator.TCG, Accelerator.probe(root).accelerator());
    }

    @Test
    void cpuWithoutVmxOrSvmMeansTcg() throws Exception {
        host(true, false, "");
        Accelerator.Choice c = Accelerator.probe(root);
        assertEquals(Accelerator.TCG, c.accelerator());
        assertTrue(c.reason().contains("vmx/svm"), c.reason());
    }

    @Test
    void hardwareVirtualisationMeansKvm() throws Exception {
        host(true, false, "vmx");
        assertEquals(Accelerator.KVM, Accelerator.probe(root).accelerator());
    }

    @Test
    void thisMachineChoosesTcg() {
        // The development and CI machines have a PVM /dev/kvm (STACK.md): the lab must not pick it.
        assertEquals(Accelerator.TCG, Accelerator.choose("auto").accelerator());
    }
}
