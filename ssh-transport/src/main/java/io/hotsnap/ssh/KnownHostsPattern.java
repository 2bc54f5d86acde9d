package io.hotsnap.ssh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whether the host field of a known_hosts line names a host, as OpenSSH decides it: a hashed field
 * ({@code |1|salt|HMAC-SHA1}) by its hash; otherwise comma-separated patterns with {@code *} and
 * {@code ?}, any of which may match unless a {@code !}negated one does. JSch matches names exactly,
 * so a line such as {@code @revoked * ssh-rsa …} would never apply.
 */
final class KnownHostsPattern {

    private static final String HASHED = "|1|";

    private KnownHostsPattern() {
    }

    static boolean matches(String field, String host) {
        if (field.startsWith(HASHED)) {
            String[] parts = field.substring(HASHED.length()).split("\\|");
            if (parts.length != 2) {
                return false;
            }
            try {
                byte[] salt = Base64.getDecoder().decode(parts[0]);
                return MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), hmac(salt, host));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        boolean matched = false;
        for (String pattern : field.split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = negated ? pattern.substring(1) : pattern;
            if (glob(p.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT), 0, 0)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /** HMAC-SHA1 of the host name keyed by the salt: the hash of a hashed known_hosts name. */
    static byte[] hmac(byte[] salt, String host) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(host.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HmacSHA1 in this JVM", e);
        }
    }

    private static boolean glob(String p, String s, int i, int j) {
        if (i == p.length()) {
            return j == s.length();
        }
        char c = p.charAt(i);
        if (c == '*') {
            for (int k = j; k <= s.length(); k++) {
                if (glob(p, s, i + 1, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < s.length() && (c == '?' || c == s.charAt(j)) && glob(p, s, i + 1, j + 1);
    }
}
