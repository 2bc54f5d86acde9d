package io.hotsnap.snapshot;

import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpEvent;

/** The {@code stopcopy} baseline ({@code savevm}-like): the guest stays paused while disks and memory are copied. */
record StopAndCopy(SnapshotContext vm, DiskTargets disks, MemoryMigration migration) implements TransientStep {

    @Override
    public PausePoint take() {
        vm.guarding(u -> u.pausing(vm.wasRunning, true));
        vm.call(QmpCommands.stop());
        long stopAt = vm.await(QmpEvent.STOP).timestampMicros();
        vm.phase(SnapshotPhase.STOP, stopAt);
        disks.fix();
        // A migration that completes inactivates the VM's block layer, which breaks a backup job
        // still running: the disks are copied first (the cost stop-and-copy has anyway).
        disks.awaitJobs();
        migration.start();
        migration.await("completed");
        return new PausePoint(stopAt, vm.resumeAfterMigration());
    }
}
