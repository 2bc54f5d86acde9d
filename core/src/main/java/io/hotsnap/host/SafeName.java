package io.hotsnap.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one check for names that become paths or names of things HotSnap creates (snapshot IDs,
 * restore IDs, clone names, directory names of VM parts), applied where a name enters: a name that
 * passes can never leave the directory it is resolved in. VM names are looser (a VM is named by
 * its manager, not by us): any printable name is accepted, and {@link #dirName} gives the
 * directory a VM's part is kept in.
 */
public final class SafeName {

    /** Longer names are refused: no file system limit (255 bytes) is reached, with room for suffixes. */
    public static final int MAX_LENGTH = 128;
    /** Starts with a letter or digit, so never {@code .}, {@code ..}, a hidden file or an option. */
    private static final Pattern STRICT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** The marker of a mapped directory name: not in {@link #STRICT}, so no strict name can equal a mapped one. */
    private static final char MAPPED = '~';

    private SafeName() {
    }

    /** Whether {@code name} may become a path element as it is. */
    public static boolean isStrict(String name) {
        return name != null && name.length() <= MAX_LENGTH && STRICT.matcher(name).matches();
    }

    /**
     * {@code name}, if it is strict.
     *
     * @param what what the name names ("snapshot ID", "clone name"), for the refusal
     * @throws IllegalArgumentException one line saying what was refused and why
     */
    public static String check(String what, String name) {
        if (!isStrict(name)) {
            throw new IllegalArgumentException(what + " " + quoted(name) + " refused: " + whyNot(name)
                    + " (allowed: letters, digits and _ . -, starting with a letter or digit, at most " + MAX_LENGTH + " characters)");
        }
        return name;
    }

    /**
     * {@code name} if it can name a VM: not empty, not overlong, no NUL or other control character
     * (a name that cannot be shown on one line cannot be confirmed by anyone).
     *
     * @throws IllegalArgumentException one line saying what was refused and why
     */
    public static String checkVmName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("VM name refused: it is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("VM name " + quoted(name) + " refused: longer than " + MAX_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("VM name " + quoted(name) + " refused: it contains a control character");
        }
        return name;
    }

    /**
     * The directory a VM's part is kept in: the name itself when it is strict; otherwise its safe
     * characters, {@code ~} and a hash of the whole name (distinct names keep distinct directories).
     */
    public static String dirName(String vmName) {
        if (isStrict(vmName)) {
            return vmName;
        }
        StringBuilder safe = new StringBuilder();
        vmName.codePoints().limit(48).forEach(c -> safe.append(c < 128 && (Character.isLetterOrDigit(c) || "_-".indexOf(c) >= 0) ? (char) c : '_'));
        return "vm_" + safe + MAPPED + sha256(vmName).substring(0, 12);
    }

    private static String whyNot(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "it contains a control character";
        }
        if (name.contains("/")) {
            return "it contains '/'";
        }
        if (name.startsWith(".")) {
            return "it starts with '.' (a relative path or a hidden file)";
        }
        return "it has characters a path or a name must not have";
    }

    /** The name as one printable line, control characters escaped. */
    private static String quoted(String name) {
        if (name == null) {
            return "''";
        }
        StringBuilder s = new StringBuilder("'");
        name.codePoints().limit(MAX_LENGTH + 1L).forEach(c -> s.append(Character.isISOControl(c) ? String.format("\\x%02x", c) : Character.toString(c)));
        return s.append(name.length() > MAX_LENGTH + 1 ? "…'" : "'").toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
