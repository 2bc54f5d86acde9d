package io.hotsnap.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * Stand-in "hosts" for multi-host tests: network namespaces, each joined by a veth pair to a bridge
 * of the test's own (10.70.0.1/24 on this side, no uplink, so nothing leaves the machine). Each gets
 * {@code 10.70.0.(10+i)}. {@link #close()} removes namespaces and bridge, also after a crashed run.
 */
final class NetnsHosts implements AutoCloseable {

    static final String BRIDGE = "hsbr-ssn";
    private static final String SUBNET = "10.70.0";

    private final List<String> namespaces = new ArrayList<>();

    /** {@code count} namespaces named {@code hs-ss-h1…}, reachable from here. */
    static NetnsHosts create(int count) throws Exception {
        NetnsHosts hosts = new NetnsHosts();
        hosts.removeLeftovers(count);
        Exec.check("ip", "link", "add", BRIDGE, "type", "bridge");
        Exec.check("ip", "addr", "add", SUBNET + ".1/24", "dev", BRIDGE);
        Exec.check("ip", "link", "set", BRIDGE, "up");
        for (int i = 1; i <= count; i++) {
            String ns = name(i);
            String outside = "hsss-h" + i + "a";
            String inside = "hsss-h" + i + "b";
            Exec.check("ip", "netns", "add", ns);
            hosts.namespaces.add(ns);
            Exec.check("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            Exec.check("ip", "link", "set", inside, "netns", ns);
            Exec.check("ip", "link", "set", outside, "master", BRIDGE);
            Exec.check("ip", "link", "set", outside, "up");
            Exec.check("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", inside);
            Exec.check("ip", "netns", "exec", ns, "ip", "link", "set", inside, "up");
            Exec.check("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
        return hosts;
    }

    static String name(int i) {
        return "hs-ss-h" + i;
    }

    static String address(int i) {
        return SUBNET + "." + (10 + i);
    }

    /** The command prefix that runs something inside host {@code i}. */
    static List<String> inside(int i) {
        return List.of("ip", "netns", "exec", name(i));
    }

    private void removeLeftovers(int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            Exec.run("ip", "netns", "del", name(i));
            Exec.run("ip", "link", "del", "hsss-h" + i + "a");
        }
        Exec.run("ip", "link", "del", BRIDGE);
    }

    @Override
    public void close() throws Exception {
        // Deleting a namespace deletes its veth end, and with it the pair.
        for (String ns : namespaces) {
            Exec.run("ip", "netns", "del", ns);
        }
        Exec.run("ip", "link", "del", BRIDGE);
    }
}
