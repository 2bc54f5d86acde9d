package io.hotsnap.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The value of one {@code -drive} or {@code -blockdev} as a tree of options, whichever way it was
 * written: JSON (libvirt's {@code -blockdev {"driver":"file",…}}) or QEMU's keyval ({@code
 * driver=qcow2,file.driver=file,file.filename=…}, dotted keys nesting, {@code ,,} a comma in a
 * value). Rendered back the same way, so an option the restore does not change stays as recorded.
 */
final class BlockOption {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String option;
    private final ObjectNode tree;
    private final boolean json;

    private BlockOption(String option, ObjectNode tree, boolean json) {
        this.option = option;
        this.tree = tree;
        this.json = json;
    }

    /** @throws IllegalArgumentException for a value QEMU would not take either */
    static BlockOption parse(String option, String value) {
        if (value.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(value);
                if (node instanceof ObjectNode object) {
                    return new BlockOption(option, object, true);
                }
            } catch (JsonProcessingException e) {
                // reported below, in the command line's words
            }
            throw new IllegalArgumentException(option + " " + value + " is not a JSON object");
        }
        ObjectNode tree = JSON.createObjectNode();
        for (String pair : keyvalPairs(value)) {
            int eq = pair.indexOf('=');
            // A bare flag (keyval's legacy "readonly" alone) means on.
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String text = eq < 0 ? "on" : pair.substring(eq + 1);
            String[] path = key.split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.get(path[i]) instanceof ObjectNode o ? o : parent.putObject(path[i]);
            }
            parent.put(path[path.length - 1], text);
        }
        return new BlockOption(option, tree, false);
    }

    /** {@code -drive} or {@code -blockdev}. */
    String option() {
        return option;
    }

    boolean isBlockdev() {
        return option.equals("-blockdev");
    }

    /** The options, to read and change; changes show in {@link #render}. */
    ObjectNode tree() {
        return tree;
    }

    /** True for JSON {@code true} and keyval's {@code on}/{@code yes}/{@code true}. */
    static boolean isOn(JsonNode value) {
        return value != null && (value.asBoolean(false) || List.of("on", "yes", "true").contains(value.asText()));
    }

    String render() {
        if (json) {
            return tree.toString();
        }
        List<String> pairs = new ArrayList<>();
        flatten("", tree, pairs);
        return String.join(",", pairs);
    }

    private static void flatten(String prefix, ObjectNode node, List<String> pairs) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ObjectNode child) {
                flatten(prefix + e.getKey() + ".", child, pairs);
            } else {
                pairs.add(prefix + e.getKey() + "=" + e.getValue().asText().replace(",", ",,"));
            }
        }
    }

    /** Splits on single commas; {@code ,,} is a comma inside a value. */
    private static List<String> keyvalPairs(String value) {
        List<String> pairs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' && i + 1 < value.length() && value.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                pairs.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            pairs.add(current.toString());
        }
        return pairs;
    }
}
