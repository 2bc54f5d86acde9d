package io.hotsnap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.restore.RestoreChoice;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Lines in and out: every type round-trips; every kind of bad line fails with a precise code and reason. */
class ProtocolCodecTest {

    private static final ObjectNode MANIFEST = JsonNodeFactory.instance.objectNode().put("id", "s1").put("vms", 3);
    private static final ObjectNode RECORD = JsonNodeFactory.instance.objectNode();

    static {
        RECORD.putObject("result").put("id", "s1").put("commitMs", 812.25);
        RECORD.putArray("events").addObject().put("host", "").put("kind", "COMMITTED").putNull("vm").put("atMicros", 1_718_000_000_123_456L);
    }

    static Stream<Message> everyMessageType() {
        return Stream.of(
                new Envelope(1, new Request.Hello()),
                new Envelope(2, new Request.Inventory()),
                new Envelope(3, new Request.Ping()),
                new Envelope(3, new Request.Doctor("/srv/snapshots")),
                new Envelope(3, new Request.Doctor(null)),
                new Envelope(4, new Request.Prepare("s1", "hold", List.of("web", "db"))),
                new Envelope(4, new Request.Prepare("s1", "hold", List.of("web"), "/srv/snapshots", "none", null, null)),
                new Envelope(4, new Request.Prepare("s1", "independent", List.of("web"), null, "copy", 250L, true)),
                new Envelope(5, new Request.Hold("s1", 500)),
                new Envelope(6, new Request.Snapshot("s1")),
                new Envelope(7, new Request.Release("s1", List.of("web"))),
                new Envelope(8, new Request.Release("s1", null)),
                new Envelope(9, new Request.Abort("s1", "db failed")),
                new Envelope(10, new Request.Commit("s1", MANIFEST)),
                new Envelope(11, new Request.Traffic("s1", 1_718_000_000_000_000L)),
                new Envelope(11, new Request.Traffic("s1", null)),
                new Envelope(11, new Request.Record("s1", "/srv/snapshots", RECORD)),
                new Envelope(11, new Request.Record("s1", null, RECORD)),
                new Envelope(11, new Request.Snapshots("/srv/snapshots")),
                new Envelope(11, new Request.Snapshots(null)),
                new Envelope(15, new Request.RestorePreflight("s1", "/srv/snapshots", List.of(RestoreChoice.inPlace("web"), RestoreChoice.asClone("db", "db-clone")))),
                new Envelope(15, new Request.RestorePreflight("s1", null, List.of(RestoreChoice.inPlace("web")))),
                new Envelope(16, new Request.RestoreLoad("r1", "s1", null, List.of(RestoreChoice.asClone("web", "web-clone")), null)),
                new Envelope(16, new Request.RestoreLoad("r1", "s1", null, List.of(RestoreChoice.inPlace("web")), 3000L)),
                new Envelope(17, new Request.RestoreResume("r1")),
                new Envelope(17, new Request.RestoreTraffic("r1")),
                new Envelope(18, new Request.RestoreAbort("r1", "db failed to load")),
                new Envelope(19, new Request.RestoreRecord("s1", "/srv/snapshots", MANIFEST)),
                new Envelope(11, new Request.Shutdown()),
                new Reply.Ok(12L, MANIFEST),
                new Reply.Ok(13L, null),
                new Reply.Error(14L, "unsupported", "'hold' is not supported"),
                new Reply.Error(null, "malformed", "not JSON"),
                new AgentEvent(1, EventKind.STOP, "web", 1_718_000_000_123_456L, MANIFEST),
                new AgentEvent(2, EventKind.PROGRESS, null, 1_718_000_000_123_999L, null),
                new AgentEvent(3, EventKind.RESTORE, "web-clone", 1_718_000_000_124_000L,
                        JsonNodeFactory.instance.objectNode().put("phase", "loaded").put("from", "web").put("loadMs", 812.5)));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void everyMessageTypeSurvivesARoundTrip(Message message) {
        assertEquals(message, ProtocolCodec.decode(ProtocolCodec.encode(message)));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void encodedMessageIsOneLineLedByVersionAndType(Message message) {
        String line = ProtocolCodec.encode(message);

        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("{\"v\":1,\"type\":\"" + ProtocolCodec.typeOf(message) + "\""), line);
    }

    @Test
    void requestEncodesToTheDocumentedLine() {
        assertEquals("{\"v\":1,\"type\":\"hold\",\"id\":5,\"snapshotId\":\"s1\",\"deadlineMillis\":500}",
                ProtocolCodec.encode(new Envelope(5, new Request.Hold("s1", 500))));
        assertEquals("{\"v\":1,\"type\":\"event\",\"seq\":1,\"kind\":\"STOP\",\"vm\":\"web\",\"hostTimeMicros\":7,\"data\":{}}",
                ProtocolCodec.encode(new AgentEvent(1, EventKind.STOP, "web", 7, null)));
    }

    @Test
    void catalogRequestsEncodeToTheDocumentedLines() {
        assertEquals("{\"v\":1,\"type\":\"snapshots\",\"id\":3}", ProtocolCodec.encode(new Envelope(3, new Request.Snapshots(null))));
        assertEquals("{\"v\":1,\"type\":\"record\",\"id\":4,\"snapshotId\":\"s1\",\"store\":\"/srv\",\"record\":{\"result\":{}}}",
                ProtocolCodec.encode(new Envelope(4, new Request.Record("s1", "/srv", JsonNodeFactory.instance.objectNode().set("result",
                        JsonNodeFactory.instance.objectNode())))));
    }

    @Test
    void doctorReplyCarriesEachLinesStatusInLowerCaseAndReadsBack() {
        DoctorResult result = new DoctorResult("kvm1", List.of(HostCheck.ok("Java", List.of("hold"), "Java 17"),
                HostCheck.fail("nftables", List.of("precopy", "stopcopy"), "no nft on PATH", "apt-get install nftables")));
        JsonNode json = ProtocolCodec.toObject(result);
        assertEquals("fail", json.path("checks").path(1).path("status").asText(), json.toString());
        Reply.Ok ok = (Reply.Ok) ProtocolCodec.decode(ProtocolCodec.encode(new Reply.Ok(7L, json)));
        assertEquals(result, ProtocolCodec.resultAs(ok, DoctorResult.class));
    }

    @Test
    void errorMessageIsFoldedIntoOneLine() {
        Reply.Error error = new Reply.Error(1L, "failed", "disk full\n  at line 2\r\nat line 3\n");

        assertEquals("disk full / at line 2 / at line 3", error.message());
    }

    @Test
    void restoreRequestsEncodeToTheDocumentedLines() {
        assertEquals("{\"v\":1,\"type\":\"restore-preflight\",\"id\":3,\"snapshotId\":\"s1\",\"vms\":[{\"vm\":\"web\"},"
                        + "{\"vm\":\"db\",\"asClone\":\"db-clone\"}]}",
                ProtocolCodec.encode(new Envelope(3, new Request.RestorePreflight("s1", null,
                        List.of(RestoreChoice.inPlace("web"), RestoreChoice.asClone("db", "db-clone"))))));
        assertEquals("{\"v\":1,\"type\":\"restore-resume\",\"id\":4,\"restoreId\":\"r1\"}",
                ProtocolCodec.encode(new Envelope(4, new Request.RestoreResume("r1"))));
    }

    @Test
    void aPersistentCloneSaysSoOnTheWireAndALineWithoutItIsATransientOne() {
        String line = "{\"v\":1,\"type\":\"restore-preflight\",\"id\":3,\"snapshotId\":\"s1\",\"vms\":[{\"vm\":\"db\",\"asClone\":\"db-p\",\"persistent\":true}]}";
        Envelope persistent = new Envelope(3, new Request.RestorePreflight("s1", null, List.of(new RestoreChoice("db", "db-p", true))));

        assertEquals(line, ProtocolCodec.encode(persistent));
        assertEquals(persistent, ProtocolCodec.decode(line));
        assertEquals(new Envelope(3, new Request.RestorePreflight("s1", null, List.of(RestoreChoice.asClone("db", "db-p")))),
                ProtocolCodec.decode(line.replace(",\"persistent\":true", "")));
    }

    @Test
    void requestIdTravelsInTheEnvelopeNotInTheRequest() {
        Envelope first = (Envelope) ProtocolCodec.decode("{\"v\":1,\"type\":\"snapshot\",\"id\":41,\"snapshotId\":\"s1\"}");
        Envelope second = (Envelope) ProtocolCodec.decode("{\"v\":1,\"type\":\"snapshot\",\"id\":42,\"snapshotId\":\"s1\"}");

        assertEquals(41, first.id());
        assertEquals(42, second.id());
        assertEquals(new Request.Snapshot("s1"), first.request());
        assertEquals(first.request(), second.request());
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("hello", "malformed", null, "not JSON: Unrecognized token 'hello'"),
                Arguments.of("{\"v\":1,\"type\":\"ping\",\"id\":1} {}", "malformed", null, "not JSON: "),
                Arguments.of("[1,2]", "malformed", null, "a message is a JSON object, got array"),
                Arguments.of("", "malformed", null, "a message is a JSON object, got nothing"),
                Arguments.of("{\"type\":\"ping\",\"id\":3}", "version", 3L, "missing \"v\" (protocol version; this side speaks 1)"),
                Arguments.of("{\"v\":2,\"type\":\"ping\",\"id\":3}", "version", 3L, "protocol version 2 not supported (this side speaks 1)"),
                Arguments.of("{\"v\":\"1\",\"type\":\"ping\",\"id\":3}", "version", 3L, "protocol version \"1\" not supported"),
                Arguments.of("{\"v\":1,\"id\":4}", "malformed", 4L, "missing \"type\" (a string)"),
                Arguments.of("{\"v\":1,\"type\":\"frob\",\"id\":5}", "unknown-type", 5L, "unknown type 'frob' (known: hello, inventory, ping,"),
                Arguments.of("{\"v\":1,\"type\":\"ping\"}", "bad-request", null, "'ping' needs an integer \"id\""),
                Arguments.of("{\"v\":1,\"type\":\"ping\",\"id\":\"7\"}", "bad-request", null, "\"id\" must be an integer, got \"7\""),
                Arguments.of("{\"v\":1,\"type\":\"hold\",\"id\":8,\"snapshotId\":\"s1\"}", "bad-request", 8L,
                        "bad 'hold': missing field 'deadlineMillis'"),
                Arguments.of("{\"v\":1,\"type\":\"hold\",\"id\":8,\"snapshotId\":\"s1\",\"deadlineMillis\":5,\"colour\":1}", "bad-request", 8L,
                        "bad 'hold': unknown field 'colour' (known: deadlineMillis, pauseMillis, snapshotId)"),
                Arguments.of("{\"v\":1,\"type\":\"hold\",\"id\":8,\"snapshotId\":\"s1\",\"deadlineMillis\":\"soon\"}", "bad-request", 8L,
                        "bad 'hold': field 'deadlineMillis': Cannot deserialize value of type `long` from String \"soon\""),
                Arguments.of("{\"v\":1,\"type\":\"hold\",\"id\":8,\"snapshotId\":\"s1\",\"deadlineMillis\":-1}", "bad-request", 8L,
                        "bad 'hold': deadlineMillis must be positive, got -1"),
                Arguments.of("{\"v\":1,\"type\":\"prepare\",\"id\":9,\"mode\":\"hold\",\"vms\":[\"a\"]}", "bad-request", 9L,
                        "bad 'prepare': snapshotId is required"),
                Arguments.of("{\"v\":1,\"type\":\"record\",\"id\":10,\"snapshotId\":\"s1\",\"record\":[1]}", "bad-request", 10L,
                        "bad 'record': record must be a JSON object"),
                Arguments.of("{\"v\":1,\"type\":\"record\",\"id\":10,\"snapshotId\":\"s1\"}", "bad-request", 10L,
                        "bad 'record': record must be a JSON object"),
                Arguments.of("{\"v\":1,\"type\":\"record\",\"id\":10,\"record\":{}}", "bad-request", 10L,
                        "bad 'record': snapshotId is required"),
                Arguments.of("{\"v\":1,\"type\":\"restore-load\",\"id\":12,\"restoreId\":\"r1\",\"snapshotId\":\"s1\",\"vms\":[]}",
                        "bad-request", 12L, "bad 'restore-load': vms must not be empty"),
                Arguments.of("{\"v\":1,\"type\":\"restore-load\",\"id\":12,\"restoreId\":\"r1\",\"snapshotId\":\"s1\","
                        + "\"vms\":[{\"vm\":\"a\"},{\"vm\":\"a\",\"asClone\":\"b\"}]}", "bad-request", 12L, "bad 'restore-load': vms names a twice"),
                Arguments.of("{\"v\":1,\"type\":\"restore-preflight\",\"id\":12,\"snapshotId\":\"s1\","
                        + "\"vms\":[{\"vm\":\"a\",\"asClone\":\"b\"},{\"vm\":\"b\"}]}", "bad-request", 12L,
                        "bad 'restore-preflight': two VMs would run as b"),
                Arguments.of("{\"v\":1,\"type\":\"restore-preflight\",\"id\":12,\"snapshotId\":\"s1\",\"vms\":[{\"asClone\":\"b\"}]}",
                        "bad-request", 12L, "bad 'restore-preflight': vm is required"),
                Arguments.of("{\"v\":1,\"type\":\"restore-resume\",\"id\":13}", "bad-request", 13L,
                        "bad 'restore-resume': restoreId is required"),
                Arguments.of("{\"v\":1,\"type\":\"snapshots\",\"id\":11,\"dir\":\"/srv\"}", "bad-request", 11L,
                        "bad 'snapshots': unknown field 'dir' (known: store)"),
                Arguments.of("{\"v\":1,\"type\":\"event\",\"id\":1,\"seq\":1,\"kind\":\"STOP\",\"hostTimeMicros\":1}", "bad-request", 1L,
                        "bad 'event': unknown field 'id'"),
                Arguments.of("{\"v\":1,\"type\":\"event\",\"seq\":1,\"kind\":\"NAP\",\"hostTimeMicros\":1}", "bad-request", null,
                        "bad 'event': field 'kind': Cannot deserialize value of type `io.hotsnap.protocol.EventKind` from String \"NAP\""));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void badLineFailsWithAPreciseCodeReasonAndTheIdIfReadable(String line, String code, Long id, String reasonStart) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(line));

        assertEquals(code, e.code(), e.getMessage());
        assertEquals(id, e.requestId());
        assertTrue(e.getMessage().startsWith(reasonStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void resultOfAnOkReplyIsReadAsItsRecord() {
        Reply ok = new Reply.Ok(1L, ProtocolCodec.toObject(new PingResult(1234)));

        assertEquals(new PingResult(1234), ProtocolCodec.resultAs(ok, PingResult.class));
    }

    @Test
    void resultOfAnErrorReplyThrowsTheAgentsCodeAndMessage() {
        Reply error = new Reply.Error(3L, "unsupported", "'hold' is not supported by this agent yet");

        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolCodec.resultAs(error, PingResult.class));

        assertEquals("unsupported", e.code());
        assertEquals("'hold' is not supported by this agent yet", e.getMessage());
        assertEquals(3L, e.requestId());
    }

    @Test
    void resultThatIsNotAJsonObjectIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProtocolCodec.toObject(List.of(1, 2)));

        assertTrue(e.getMessage().contains("got ARRAY"), e.getMessage());
    }
}
