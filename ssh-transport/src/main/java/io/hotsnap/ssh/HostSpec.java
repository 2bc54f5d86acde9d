package io.hotsnap.ssh;

/**
 * A host as the administrator writes it, OpenSSH style: {@code [user@]host[:port]} ({@code [v6]:port}
 * for IPv6), where {@code host} may be an alias from the SSH config.
 *
 * @param user null when not given
 * @param port -1 when not given
 */
public record HostSpec(String user, String host, int port) {

    public static HostSpec parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        String user = null;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            user = s.substring(0, at);
            s = s.substring(at + 1);
            if (user.isEmpty()) {
                throw new IllegalArgumentException("host '" + spec + "': empty user name before '@'");
            }
        }
        String host = s;
        int port = -1;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("host '" + spec + "': '[' without ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                port = port(spec, rest.startsWith(":") ? rest.substring(1) : rest);
            }
        } else {
            int colon = s.indexOf(':');
            // More than one colon is a bare IPv6 address, which has no port.
            if (colon >= 0 && colon == s.lastIndexOf(':')) {
                host = s.substring(0, colon);
                port = port(spec, s.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host '" + spec + "': no host name");
        }
        return new HostSpec(user, host, port);
    }

    private static int port(String spec, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("host '" + spec + "': port '" + text + "' is not a number from 1 to 65535");
    }
}
