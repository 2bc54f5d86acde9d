package io.hotsnap.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Typed commands against one real, paused QEMU: arguments as QEMU reads them, replies read into the QAPI records. */
@Timeout(60)
class QmpCommandsTest {

    private static final Duration WAIT = Timeouts.defaults().qmpCommand();

    private static BareQemu qemu;
    private static QmpClient client;

    @BeforeAll
    static void startQemu() throws IOException {
        qemu = BareQemu.start();
        client = qemu.connect();
    }

    @AfterAll
    static void stopQemu() throws IOException {
        if (client != null) {
            client.close();
        }
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void queryStatusIsReadIntoStatusInfo() {
        StatusInfo status = client.call(QmpCommands.queryStatus(), WAIT);

        assertEquals("prelaunch", status.status());
        assertFalse(status.running());
    }

    @Test
    void aVmNeverMigratedHasMigrationStatusNoneAndNoFigures() {
        MigrationInfo info = client.call(QmpCommands.queryMigrate(), WAIT);

        assertEquals("none", info.statusOrNone());
        assertNull(info.ramOrEmpty().total());
        assertNull(info.errorDesc());
    }

    @Test
    void capabilitiesSetAreReadBackAsSet() {
        client.call(QmpCommands.migrateSetCapabilities(List.of(new MigrationCapabilityStatus("events", true))), WAIT);

        List<MigrationCapabilityStatus> caps = client.call(QmpCommands.queryMigrateCapabilities(), WAIT);

        assertTrue(caps.contains(new MigrationCapabilityStatus("events", true)), caps.toString());
        assertTrue(caps.stream().anyMatch(c -> c.capability().equals("background-snapshot")), caps.toString());
    }

    @Test
    void maxBandwidthSetIsReadBackAndUnsetParametersAreNotSent() {
        client.call(QmpCommands.migrateSetParameters(new MigrationParameters(12_345_678L)), WAIT);

        assertEquals(12_345_678L, client.call(QmpCommands.queryMigrateParameters(), WAIT).maxBandwidth());
        assertFalse(new ObjectMapper().valueToTree(new MigrationParameters(null)).has("max-bandwidth"));
    }

    @Test
    void noBlockJobsIsAnEmptyList() {
        assertEquals(List.of(), client.call(QmpCommands.queryBlockJobs(), WAIT));
    }

    @Test
    void typedExecuteCompletesWithTheReadReply() throws Exception {
        assertEquals("prelaunch", client.execute(QmpCommands.queryStatus(), WAIT).get().status());
    }

    @Test
    void qemusRefusalOfATypedCommandIsItsExecuteError() {
        QmpExecuteException e = assertThrows(QmpExecuteException.class, () -> client.call(QmpCommands.blockJobCancel("no-such-job", true), WAIT));

        assertEquals("block-job-cancel", e.command());
    }

    @Test
    void aReplyThatDoesNotFitItsRecordIsAProtocolError() {
        QmpCommand<MemoryInfo> misread = QmpCommand.of("query-migrate-capabilities", null, MemoryInfo.class);

        assertThrows(QmpProtocolException.class, () -> client.call(misread, WAIT));
    }

    @Test
    void eventDataIsReadIntoItsRecordIgnoringMembersItDoesNotName() throws Exception {
        QmpEvent completed = new QmpEvent(BlockJobEvent.COMPLETED, new ObjectMapper().readTree(
                "{\"type\":\"backup\",\"device\":\"job0\",\"len\":10,\"offset\":10,\"speed\":0,\"error\":\"No space left\"}"), 1);

        assertEquals(new BlockJobEvent("job0", "No space left"), BlockJobEvent.of(completed));
        assertTrue(BlockJobEvent.is(completed, BlockJobEvent.COMPLETED, "job0"));
        assertFalse(BlockJobEvent.is(completed, BlockJobEvent.COMPLETED, "job1"));
        assertFalse(BlockJobEvent.is(completed, BlockJobEvent.READY, "job0"));
    }
}
