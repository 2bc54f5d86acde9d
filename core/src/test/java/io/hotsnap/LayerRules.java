package io.hotsnap;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of HotSnap (DESIGN §10), bottom to top, shared by every module's architecture test:
 * each module checks its own classes against the whole picture. A package in no layer fails the
 * rule, so a new package is placed here first.
 */
public final class LayerRules {

    private static final String BASE = "host, settings, util";
    private static final String QMP = "qmp";
    private static final String VM = "vm";
    private static final String PARTS = "snapshot, net, libvirt, lab, guard";
    private static final String RESTORE = "restore";
    private static final String PROTOCOL = "wire protocol";
    private static final String AGENT = "agent (host side)";
    private static final String COORDINATOR = "coordinator (console side)";
    private static final String SSH = "ssh transport";
    private static final String TOOLS = "bench, report";
    private static final String CLI = "cli";
    private static final String CONSOLE = "app (console)";

    private LayerRules() {
    }

    /**
     * No two packages depend on each other, directly or round a loop: every package at any depth is
     * its own slice, so a module whose classes share one first level (app, app.restore, …) is
     * checked package by package too.
     */
    public static ArchRule noPackageCycles() {
        return slices().matching("io.hotsnap.(**)").should().beFreeOfCycles()
                .because("a package is read, tested and changed on top of what it uses, never beside it");
    }

    /** Each layer uses only layers below it; the agent and the coordinator never use each other. */
    public static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .ensureAllClassesAreContainedInArchitecture()
                .layer(BASE).definedBy("io.hotsnap.host..", "io.hotsnap.settings..", "io.hotsnap.util..")
                .layer(QMP).definedBy("io.hotsnap.qmp..")
                .layer(VM).definedBy("io.hotsnap.vm..")
                .layer(PARTS).definedBy("io.hotsnap.snapshot..", "io.hotsnap.net..", "io.hotsnap.libvirt..",
                        "io.hotsnap.lab..", "io.hotsnap.guard..")
                .layer(RESTORE).definedBy("io.hotsnap.restore..")
                .layer(PROTOCOL).definedBy("io.hotsnap.protocol..")
                .layer(AGENT).definedBy("io.hotsnap.agent..")
                .layer(COORDINATOR).definedBy("io.hotsnap.coordinator..")
                .layer(SSH).definedBy("io.hotsnap.ssh..")
                .layer(TOOLS).definedBy("io.hotsnap.bench..", "io.hotsnap.report..")
                .layer(CLI).definedBy("io.hotsnap.cli..")
                .layer(CONSOLE).definedBy("io.hotsnap.app..")
                .whereLayer(BASE).mayNotAccessAnyLayer()
                .whereLayer(QMP).mayOnlyAccessLayers(BASE)
                .whereLayer(VM).mayOnlyAccessLayers(BASE, QMP)
                .whereLayer(PARTS).mayOnlyAccessLayers(BASE, QMP, VM)
                .whereLayer(RESTORE).mayOnlyAccessLayers(BASE, QMP, VM, PARTS)
                .whereLayer(PROTOCOL).mayOnlyAccessLayers(BASE, QMP, VM, PARTS, RESTORE)
                .whereLayer(AGENT).mayOnlyAccessLayers(BASE, QMP, VM, PARTS, RESTORE, PROTOCOL)
                .whereLayer(COORDINATOR).mayOnlyAccessLayers(BASE, QMP, VM, PARTS, RESTORE, PROTOCOL)
                .whereLayer(SSH).mayOnlyAccessLayers(BASE, QMP, VM, PARTS, RESTORE, PROTOCOL, COORDINATOR)
                .whereLayer(TOOLS).mayOnlyAccessLayers(BASE, QMP, VM, PARTS, RESTORE, PROTOCOL, AGENT, COORDINATOR)
                .whereLayer(CLI).mayOnlyAccessLayers(BASE, QMP, VM, PARTS, RESTORE, PROTOCOL, AGENT, COORDINATOR, TOOLS)
                .because("DESIGN §10: a newcomer reads the engine bottom up, each layer on top of the ones below");
    }
}
