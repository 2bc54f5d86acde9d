package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The mapper that reads QEMU's replies and event data into the engine's QAPI records. */
final class QmpJson {

    /** QEMU adds members release by release: a record names the ones the engine reads and ignores the rest. */
    static final ObjectMapper READER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private QmpJson() {
    }
}
