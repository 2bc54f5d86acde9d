package io.hotsnap.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.qmp.QmpTransport;
import io.hotsnap.settings.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * QMP to a libvirt domain through libvirt's monitor pass-through, for a domain whose monitor
 * belongs to libvirt: commands through the host's shared {@link Virsh} session
 * ({@code qemu-monitor-command}), one at a time and in order; events from a
 * {@code virsh qemu-monitor-event} of this connection's own, with QEMU's timestamps. libvirt
 * answers {@code qmp_capabilities} itself, so the greeting is made here from {@code query-version}.
 * A command libvirt cannot pass on (libvirtd gone, domain gone) comes back as a QMP error with
 * libvirt's reason.
 */
final class LibvirtQmpTransport implements QmpTransport {

    private static final ObjectNode END = new ObjectMapper().createObjectNode();

    private final ObjectMapper mapper;
    private final Virsh virsh;
    private final String domain;
    private final Duration commandTimeout;
    private final BlockingQueue<ObjectNode> inbox = new LinkedBlockingQueue<>();
    private final ExecutorService sender;
    private volatile Process events;
    private volatile boolean closed;

    LibvirtQmpTransport(ObjectMapper mapper, Virsh virsh, String domain, Duration commandTimeout) {
        this.mapper = mapper;
        this.virsh = virsh;
        this.domain = domain;
        this.commandTimeout = commandTimeout;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "libvirt-qmp-" + domain);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void connect() throws IOException {
        Process p = new ProcessBuilder("stdbuf", "-o0", "virsh", "-q", "-c", virsh.uri(), "qemu-monitor-event",
                "--domain", domain, "--loop").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        events = p;
        if (closed) {
            p.destroy();
            throw new IOException("closed");
        }
        Thread pump = new Thread(() -> pumpEvents(p), "libvirt-events-" + domain);
        pump.setDaemon(true);
        pump.start();
        JsonNode version;
        try {
            version = monitor(mapper.createObjectNode().put("execute", "query-version"));
        } catch (VirshException e) {
            throw new IOException("libvirt: " + e.getMessage(), e);
        }
        if (version.has("error")) {
            throw new IOException("QEMU: " + version.path("error").path("desc").asText());
        }
        try {
            Thread.sleep(Waits.LIBVIRT_EVENTS_SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting");
        }
        if (!p.isAlive()) {
            throw new IOException("virsh qemu-monitor-event ended at once (exit " + p.exitValue() + ")");
        }
        ObjectNode greeting = mapper.createObjectNode();
        greeting.putObject("QMP").<ObjectNode>set("version", version.path("return")).putArray("capabilities");
        inbox.add(greeting);
    }

    @Override
    public ObjectNode read() throws IOException {
        try {
            ObjectNode next = inbox.take();
            if (next == END) {
                inbox.add(END);
                if (closed) {
                    throw new IOException("closed");
                }
                return null;
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void write(ObjectNode message) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        JsonNode id = message.get("id");
        if ("qmp_capabilities".equals(message.path("execute").asText())) {
            // libvirt negotiated the capabilities when it connected to QEMU.
            inbox.add(withId(mapper.createObjectNode().putObject("return"), id));
            return;
        }
        ObjectNode command = message.deepCopy();
        command.remove("id");
        try {
            sender.execute(() -> {
                ObjectNode reply;
                try {
                    reply = monitor(command);
                } catch (VirshException e) {
                    reply = mapper.createObjectNode();
                    reply.putObject("error").put("class", "GenericError").put("desc", "libvirt: " + e.getMessage());
                }
                inbox.add(withId(reply, id));
            });
        } catch (RejectedExecutionException e) {
            throw new IOException("closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        sender.shutdownNow();
        Process p = events;
        if (p != null) {
            p.destroy();
        }
        inbox.add(END);
    }

    private ObjectNode withId(ObjectNode reply, JsonNode id) {
        if (id == null) {
            reply.remove("id");
        } else {
            reply.set("id", id);
        }
        return reply;
    }

    private ObjectNode monitor(ObjectNode command) {
        String out = virsh.run(List.of("qemu-monitor-command", domain, command.toString()), commandTimeout);
        try {
            JsonNode reply = mapper.readTree(out);
            if (reply instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // reported below with what virsh printed
        }
        throw new VirshException("unexpected answer to " + command.path("execute").asText() + ": " + out);
    }

    private void pumpEvents(Process p) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                MonitorEventLine.parse(line, domain, mapper).ifPresent(inbox::add);
            }
        } catch (IOException e) {
            // the event stream ended: as for a closed socket, the connection is over
        }
        inbox.add(END);
    }
}
