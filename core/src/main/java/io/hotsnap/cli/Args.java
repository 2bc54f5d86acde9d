package io.hotsnap.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line split into positional words, {@code --name value} options and {@code --flag}
 * switches. Each command declares which switches it knows; anything else is a usage error, so a
 * typo never silently becomes a default.
 */
public final class Args {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Set<String> used = new HashSet<>();

    private Args() {
    }

    /** @param switches option names that take no value (e.g. "json") */
    public static Args parse(List<String> words, Set<String> switches) {
        Args args = new Args();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--")) {
                args.positional.add(w);
                continue;
            }
            String name = w.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                args.options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (switches.contains(name)) {
                args.flags.add(name);
            } else if (i + 1 < words.size()) {
                args.options.put(name, words.get(++i));
            } else {
                throw new CliException(CliException.USAGE, "option --" + name + " needs a value");
            }
        }
        return args;
    }

    public List<String> positional() {
        return positional;
    }

    public boolean flag(String name) {
        used.add(name);
        return flags.contains(name);
    }

    public Optional<String> option(String name) {
        used.add(name);
        return Optional.ofNullable(options.get(name));
    }

    public int intOption(String name, int fallback, int min, int max) {
        Optional<String> raw = option(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.get());
            if (v < min || v > max) {
                throw new CliException(CliException.USAGE, "--" + name + " must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CliException(CliException.USAGE, "--" + name + " must be a number, not '" + raw.get() + "'");
        }
    }

    /** Call after reading every option a command knows: a leftover one is a typo. */
    public void rejectUnknown() {
        for (String name : options.keySet()) {
            if (!used.contains(name)) {
                throw new CliException(CliException.USAGE, "unknown option --" + name);
            }
        }
        for (String name : flags) {
            if (!used.contains(name)) {
                throw new CliException(CliException.USAGE, "unknown option --" + name);
            }
        }
    }
}
