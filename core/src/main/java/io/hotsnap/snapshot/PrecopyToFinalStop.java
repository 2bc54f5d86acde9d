package io.hotsnap.snapshot;

import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.settings.Waits;

/**
 * The {@code precopy} baseline (live migration to a file, VNsnap-like): the memory is copied with
 * the guest live, and the snapshot point is the stop QEMU makes for the final round.
 */
record PrecopyToFinalStop(SnapshotContext vm, DiskTargets disks, MemoryMigration migration) implements TransientStep {

    @Override
    public PausePoint take() {
        // QEMU stops the guest itself for the final round and waits there for us.
        vm.guarding(u -> u.pausing(vm.wasRunning, true));
        migration.start();
        // The iterative copy runs with the guest live; QEMU stops it for the last round and waits
        // (pause-before-switchover) so the disks can be fixed at that same point.
        migration.await("pre-switchover", Waits.PRECOPY_CONVERGENCE);
        // QEMU stopped the guest for the final round before pre-switchover; its STOP is waiting.
        long stopAt = vm.await(QmpEvent.STOP).timestampMicros();
        vm.phase(SnapshotPhase.STOP, stopAt);
        disks.fix();
        // Switchover inactivates the block layer: the disk copies must be done before it.
        disks.awaitJobs();
        vm.call(QmpCommands.migrateContinue("pre-switchover"));
        migration.await("completed");
        return new PausePoint(stopAt, vm.resumeAfterMigration());
    }
}
