package io.hotsnap.cli;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.coordinator.AgentLink;
import io.hotsnap.coordinator.HostCheckup;
import io.hotsnap.protocol.DoctorResult;
import io.hotsnap.protocol.HostCheck;
import io.hotsnap.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hotsnap doctor [--hosts H,…]}: what each host lacks for each mode, each line with its fix,
 * asked of the host's own agent (so a remote host is checked exactly like this one). A host that
 * cannot be reached is a failing line of its own; the others are still checked.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check hosts: what each lacks for each snapshot mode, each line with its fix (ok, warn, fail).")
final class DoctorCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    private final AgentConnector connector;

    @Mixin
    private HostsOption hosts;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    DoctorCommand(ResultPrinter printer, AgentConnector connector) {
        this.printer = printer;
        this.connector = connector;
    }

    /** Exit codes: a host unreachable is FAILED; reached hosts that lack something a mode needs are MISSING. */
    @Override
    public Integer call() {
        List<String> names = hosts.names();
        if (names.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "name the hosts with --hosts HOST[,HOST…]");
        }
        // The store is the agent host's: absent, each host checks its own default.
        String dir = store.given().map(Object::toString).orElse(null);
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        List<CompletableFuture<Checked>> checking = names.stream()
                .map(h -> CompletableFuture.supplyAsync(() -> check(h, dir), pool)).toList();
        pool.shutdown();
        List<Checked> results = checking.stream().map(CompletableFuture::join).toList();
        List<DoctorResult> all = results.stream().map(Checked::result).toList();
        if (json.json) {
            printer.json(Map.of("hosts", all));
        } else {
            all.forEach(this::print);
        }
        long failing = all.stream().flatMap(r -> r.checks().stream()).filter(c -> c.status() == HostCheck.Status.FAIL).count();
        if (failing == 0) {
            return ExitCode.OK.code();
        }
        printer.error(failing + " check(s) fail: " + String.join(", ", all.stream().filter(DoctorResult::fails).map(DoctorResult::host).toList()));
        return (results.stream().anyMatch(Checked::unreachable) ? ExitCode.FAILED : ExitCode.MISSING).code();
    }

    private record Checked(DoctorResult result, boolean unreachable) {
    }

    private Checked check(String host, String dir) {
        AgentLink link;
        try {
            link = connector.open(host);
        } catch (ProtocolException e) {
            return new Checked(HostCheckup.unreachable(host, e.getMessage()), true);
        }
        try (link) {
            return new Checked(HostCheckup.run(host, link, dir), false);
        } catch (ProtocolException e) {
            return new Checked(HostCheckup.unanswered(host, e.getMessage()), true);
        }
    }

    private void print(DoctorResult result) {
        printer.text(result.host() + ":");
        for (HostCheck c : result.checks()) {
            printer.text(String.format("  %-4s  %-28s %s  [%s]", c.status().wireName(), c.check(), c.detail(), String.join(", ", c.modes())));
            if (!c.fix().isEmpty()) {
                printer.text("        fix: " + c.fix());
            }
        }
    }
}
