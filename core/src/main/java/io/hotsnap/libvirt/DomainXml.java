package io.hotsnap.libvirt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a domain's XML says about reaching its QEMU: an extra QMP socket an administrator added
 * with {@code <qemu:commandline>}, either {@code -qmp unix:PATH,server=on,…} or a socket
 * {@code -chardev} used by a {@code -mon …,mode=control}.
 */
final class DomainXml {

    private static final Pattern ARG = Pattern.compile("<qemu:arg\\s+value=(['\"])(.*?)\\1\\s*/>");

    private DomainXml() {
    }

    static Optional<Path> extraQmpSocket(String xml) {
        List<String> args = new ArrayList<>();
        Matcher m = ARG.matcher(xml);
        while (m.find()) {
            args.add(unescape(m.group(2)));
        }
        for (int i = 0; i + 1 < args.size(); i++) {
            String value = args.get(i + 1);
            if (args.get(i).equals("-qmp") && value.startsWith("unix:")) {
                return Optional.of(Path.of(value.substring(5).split(",")[0]));
            }
        }
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-mon") && args.get(i + 1).contains("mode=control")) {
                Optional<String> chardev = option(args.get(i + 1), "chardev");
                for (int j = 0; j + 1 < args.size() && chardev.isPresent(); j++) {
                    String spec = args.get(j + 1);
                    if (args.get(j).equals("-chardev") && spec.startsWith("socket,") && option(spec, "id").equals(chardev)) {
                        Optional<String> path = option(spec, "path");
                        if (path.isPresent()) {
                            return path.map(Path::of);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> option(String spec, String key) {
        for (String part : spec.split(",")) {
            if (part.startsWith(key + "=")) {
                return Optional.of(part.substring(key.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static String unescape(String xmlText) {
        return xmlText.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
