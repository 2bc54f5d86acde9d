package io.hotsnap.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What a running lab consists of, kept in {@code DIR/lab.json} so that {@code lab status} and
 * {@code lab down} (other processes, later) know exactly what to look at and remove. Written after
 * every VM that starts, so even an interrupted {@code lab up} can be taken down.
 */
record LabState(String accel, String accelReason, String kernelVersion, String bridge, List<Vm> vms) {

    record Vm(LabVmSpec spec, long pid) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Path file(Path dir) {
        return dir.resolve("lab.json");
    }

    static Optional<LabState> read(Path dir) {
        Path f = file(dir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), LabState.class));
        } catch (IOException e) {
            throw new LabException(LabException.Kind.FAILED, "unreadable lab state " + f + ": " + e.getMessage());
        }
    }

    void write(Path dir) {
        Path f = file(dir);
        Path tmp = dir.resolve("lab.json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LabState with(Vm vm) {
        List<Vm> all = new java.util.ArrayList<>(vms);
        all.add(vm);
        return new LabState(accel, accelReason, kernelVersion, bridge, List.copyOf(all));
    }
}
