package io.hotsnap.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The agent that gets deployed: the engine's shaded jar, carried inside this module's jar (and so
 * inside the console's), named on hosts by its SHA-256 so that a host keeps exactly the versions it
 * has been sent and a copy is never sent twice.
 */
public record AgentJar(byte[] bytes, String sha256) {

    /** Where the build puts the engine's jar among this module's resources. */
    static final String RESOURCE = "/io/hotsnap/ssh/hotsnap-core.jar";
    /** For development: run another agent jar than the carried one. */
    static final String OVERRIDE_PROPERTY = "hotsnap.agentJar";

    private static volatile AgentJar bundled;

    public static AgentJar of(byte[] bytes) {
        try {
            return new AgentJar(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /**
     * The carried jar (read once).
     *
     * @throws IllegalStateException when this build carries none (a build that stopped before packaging the engine)
     */
    public static AgentJar bundled() {
        AgentJar jar = bundled;
        if (jar == null) {
            jar = load();
            bundled = jar;
        }
        return jar;
    }

    private static AgentJar load() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        try {
            if (override != null) {
                return of(Files.readAllBytes(Path.of(override)));
            }
            try (InputStream in = AgentJar.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("this build carries no agent jar (" + RESOURCE + "): build with ./mvnw -B package,"
                            + " which packages core/target/hotsnap-core.jar first");
                }
                return of(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent jar: " + e.getMessage(), e);
        }
    }

    /** Its path under the remote user's home: content-addressed. */
    public String remoteRelativePath() {
        return ".cache/hotsnap/agent-" + sha256 + ".jar";
    }
}
