package io.hotsnap.app;

import java.nio.file.Path;
import java.util.List;

/**
 * The options that come before the command, for every command: {@code hotsnap [--ssh-config FILE]
 * <command> …}. {@code --ssh-config} is read instead of {@code ~/.ssh/config}, as {@code ssh -F}.
 *
 * @param sshConfig null when not given
 * @param command   the command and its own arguments
 */
record GlobalOptions(Path sshConfig, List<String> command) {

    static GlobalOptions parse(List<String> args) {
        Path sshConfig = null;
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("--ssh-config")) {
            String arg = args.get(i);
            if (arg.startsWith("--ssh-config=")) {
                sshConfig = Path.of(arg.substring("--ssh-config=".length()));
                i++;
            } else if (arg.equals("--ssh-config") && i + 1 < args.size()) {
                sshConfig = Path.of(args.get(i + 1));
                i += 2;
            } else {
                throw new IllegalArgumentException("--ssh-config needs a FILE");
            }
        }
        return new GlobalOptions(sshConfig == null ? null : sshConfig.toAbsolutePath(), List.copyOf(args.subList(i, args.size())));
    }
}
