package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.report.RecordedSnapshot;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hotsnap report} on a store holding the recorded 3-VM hold cut. */
class ReportCommandTest {

    @TempDir
    Path dir;
    private SnapshotStore store;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HotsnapCli cli = new HotsnapCli(
            new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
            AgentConnector.localOnly(Timeouts.defaults()));
    private final String id = RecordedSnapshot.result().id();
    /** A downtime bar's label in a chart: median / maximum. */
    private static final Pattern MEDIAN_AND_MAX = Pattern.compile(">[0-9.]+ / [0-9.]+ ms</text>");

    @BeforeEach
    void recordedCutInStore() throws IOException {
        store = new SnapshotStore(dir.resolve("store"));
        RecordedSnapshot.store(store, RecordedSnapshot.manifest(), RecordedSnapshot.record());
    }

    private String report(String format, String snapshot) throws IOException {
        Path file = dir.resolve("report." + format);
        assertEquals(0, run("report", snapshot, "--store", store.root().toString(), "--format", format, "--out", file.toString()),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(file.toString(), out.toString(StandardCharsets.UTF_8).strip());
        return Files.readString(file);
    }

    private int run(String... words) {
        return cli.run(List.of(words));
    }

    @Test
    void csvHasOneRowPerVmWithTheRecordedFigures() throws IOException {
        List<String> lines = report("csv", id).lines().toList();
        assertEquals("id,mode,host,vm,downtime_ms,hold_ms,transient_ms,full_ms,memory_bytes,disk_bytes,qemu_version,stop_at_us,kernel_release",
                lines.get(0));
        List<VmResult> vms = RecordedSnapshot.result().vms();
        assertEquals(vms.size() + 1, lines.size());
        for (int i = 0; i < vms.size(); i++) {
            VmResult v = vms.get(i);
            String[] f = lines.get(i + 1).split(",", -1);
            assertEquals(List.of(id, "hold", v.host(), v.name()), List.of(f[0], f[1], f[2], f[3]));
            assertEquals(v.downtimeMs(), Double.parseDouble(f[4]));
            assertEquals(v.holdMs(), Double.parseDouble(f[5]));
            assertEquals(v.transientMs(), Double.parseDouble(f[6]));
            assertEquals(v.fullMs(), Double.parseDouble(f[7]));
            assertEquals(v.memoryBytes(), Long.parseLong(f[8]));
            assertEquals(v.diskBytes(), Long.parseLong(f[9]));
            assertEquals("7.2.22", f[10]);
            assertEquals(v.stopAt(), Long.parseLong(f[11]));
            assertEquals("", f[12], "the recorded cut predates kernel releases in parts");
        }
    }

    @Test
    void jsonRoundTripsToTheStoredManifestAndRecord() throws IOException {
        CatalogEntry back = RecordedSnapshot.JSON.readValue(report("json", id), CatalogEntry.class);
        assertEquals(RecordedSnapshot.manifest(), back.manifest());
        assertEquals(RecordedSnapshot.record(), back.record());
    }

    @Test
    void htmlNamesEveryVmAndShowsTheOrphanCount() throws IOException {
        String html = report("html", id);
        RecordedSnapshot.result().vms().forEach(v -> assertTrue(html.contains(">" + v.name() + "<"), v.name()));
        assertTrue(html.contains("<p id=\"consistency\">orphan packets: 0 (a consistent cut)</p>"), html);
        assertTrue(html.contains("10.77.0.11:51244 &gt; 10.77.0.12:5001"), "the TCP flows table");
        assertTrue(html.contains("7.2.22"), "the QEMU version");
    }

    /** Where the bars sit is ChartsTest's; here: the page carries the timeline as SVG, a row named per VM. */
    @Test
    void htmlTimelineIsInlineSvgWithARowPerVm() throws IOException {
        String html = report("html", id);
        assertTimelineNamesEveryVm(html);
    }

    @Test
    void htmlReferencesNothingOutsideItself() throws IOException {
        String html = report("html", id);
        assertFalse(Pattern.compile("(?i)\\b(src|href)\\s*=").matcher(html).find(), "no src= or href=");
        assertFalse(Pattern.compile("url\\((?!#)").matcher(html).find(), "no url() but to a fragment of the page (a chart's clip path)");
        assertFalse(html.contains("@import"), "no CSS import");
        assertFalse(html.contains("http"), "no address at all");
    }

    @Test
    void htmlEscapesAHostileVmName() throws IOException {
        String hostile = "<script>alert(\"x\")</script>&";
        Manifest m = RecordedSnapshot.manifest();
        List<VmPart> parts = new ArrayList<>(m.vms());
        parts.set(0, renamed(parts.get(0), hostile));
        Manifest evil = new Manifest(m.version(), "evil", m.host(), m.createdAt(), m.mode(), m.diskMode(), m.status(), parts);
        RecordedSnapshot.store(store, evil, null);
        String html = report("html", "evil");
        assertFalse(html.contains("<script>"), "the name is not markup");
        assertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"), "the name is shown, escaped");
    }

    @Test
    void manifestOnlySnapshotReportsFromItsPartsAndSaysWhatIsNotRecorded() throws IOException {
        Manifest m = RecordedSnapshot.manifest();
        Manifest local = new Manifest(m.version(), "local-1", m.host(), m.createdAt(), "hotsnap", m.diskMode(), m.status(), m.vms());
        RecordedSnapshot.store(store, local, null);
        List<String> rows = report("csv", "local-1").lines().skip(1).toList();
        assertEquals(m.vms().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            VmPart p = m.vms().get(i);
            String[] f = rows.get(i).split(",", -1);
            assertEquals(p.name(), f[3]);
            assertEquals(p.downtimeMs(), Double.parseDouble(f[4]));
            assertEquals(p.stopAt(), Long.parseLong(f[11]));
        }
        out.reset();
        String html = report("html", "local-1");
        assertTrue(html.contains("Orphan packets not recorded"), "consistency section");
        assertTrue(html.contains("TCP flows not recorded"), "TCP section");
        assertTimelineNamesEveryVm(html);
    }

    @Test
    void kernelReleaseOfTheHostIsShownInEveryFormat() throws IOException {
        Manifest m = RecordedSnapshot.manifest();
        Manifest withKernel = new Manifest(m.version(), "kernel-1", m.host(), m.createdAt(), m.mode(), m.diskMode(), m.status(),
                m.vms().stream().map(p -> withKernel(p, "6.1.0-42-amd64")).toList());
        RecordedSnapshot.store(store, withKernel, null);
        assertTrue(report("csv", "kernel-1").lines().skip(1).allMatch(l -> l.endsWith(",6.1.0-42-amd64")), "csv: every VM's row");
        out.reset();
        assertTrue(report("html", "kernel-1").contains("<tr><th>Kernel of local</th><td>6.1.0-42-amd64</td></tr>"), "html");
        out.reset();
        CatalogEntry back = RecordedSnapshot.JSON.readValue(report("json", "kernel-1"), CatalogEntry.class);
        assertEquals("6.1.0-42-amd64", back.manifest().vms().get(0).kernelRelease(), "json");
        out.reset();
        assertTrue(pdfText("kernel-1").contains("Kernel of local 6.1.0-42-amd64"), "pdf");
    }

    @Test
    void manifestWrittenBeforeKernelsWereRecordedStillReports() throws IOException {
        Path manifest = store.dir(id).resolve(SnapshotStore.MANIFEST);
        ObjectNode old = (ObjectNode) RecordedSnapshot.JSON.readTree(manifest.toFile());
        old.withArray("vms").forEach(part -> ((ObjectNode) part).remove("kernelRelease"));
        Files.write(manifest, RecordedSnapshot.JSON.writeValueAsBytes(old));
        assertFalse(Files.readString(manifest).contains("kernelRelease"));
        assertTrue(report("html", id).contains("<tr><th>Kernel of local</th><td>not recorded (snapshot taken before kernels were recorded)</td></tr>"));
    }

    @Test
    void severalIdsAreComparedOneRowPerSnapshot() throws IOException {
        Manifest m = RecordedSnapshot.manifest();
        RecordedSnapshot.store(store, new Manifest(m.version(), "local-2", m.host(), m.createdAt() + 60_000_000, "hotsnap", m.diskMode(),
                m.status(), m.vms()), null);
        List<String> csv = report("csv", id + ",local-2").lines().toList();
        assertEquals("id,created_at_us,mode,status,vms,hosts,downtime_median_ms,downtime_max_ms,skew_ms,hold_max_ms,tcp_stall_ms,"
                + "orphan_packets,commit_ms,bytes", csv.get(0));
        assertEquals(3, csv.size(), "one row per snapshot");
        String[] recorded = csv.get(1).split(",", -1);
        List<Double> downtimes = RecordedSnapshot.result().vms().stream().map(VmResult::downtimeMs).sorted().toList();
        assertEquals(List.of(id, "hold", "3"), List.of(recorded[0], recorded[2], recorded[4]));
        assertEquals(downtimes.get(1), Double.parseDouble(recorded[6]), "median downtime");
        assertEquals(downtimes.get(2), Double.parseDouble(recorded[7]), "max downtime");
        assertEquals(RecordedSnapshot.result().skewMs(), Double.parseDouble(recorded[8]));
        assertEquals(RecordedSnapshot.result().tcp().maxStallMs(), Double.parseDouble(recorded[10]));
        assertEquals("0", recorded[11], "orphans");
        String[] local = csv.get(2).split(",", -1);
        assertEquals(List.of("local-2", "hotsnap", "", "", "", ""), List.of(local[0], local[2], local[9], local[10], local[11], local[12]),
                "a snapshot without a record: hold, stall, orphans and commit not recorded");
        out.reset();
        String html = report("html", id + ",local-2");
        assertTrue(html.contains("<h1>Comparison of 2 snapshots</h1>"), html);
        assertEquals(2, MEDIAN_AND_MAX.matcher(html).results().count(), "a downtime bar per snapshot, labelled median / max");
        out.reset();
        JsonNode json = RecordedSnapshot.JSON.readTree(report("json", id + ",local-2"));
        assertEquals(List.of(id, "local-2"), List.of(json.at("/snapshots/0/manifest/id").asText(), json.at("/comparison/1/id").asText()));
        out.reset();
        assertTrue(pdfText(id + ",local-2").contains("Comparison of 2 snapshots"));
    }

    @Test
    void benchResultShowsTheModesSideBySideWithRatiosToHold() throws IOException {
        Path bench = dir.resolve("bench.json");
        try (InputStream in = RecordedSnapshot.class.getResourceAsStream("bench-3vm.json")) {
            Files.write(bench, in.readAllBytes());
        }
        Path file = dir.resolve("bench.csv");
        assertEquals(0, run("report", "--bench", bench.toString(), "--format", "csv", "--out", file.toString()), err.toString(StandardCharsets.UTF_8));
        List<String> csv = Files.readAllLines(file);
        assertEquals(6, csv.size(), "a row per mode");
        String[] precopy = csv.stream().filter(l -> l.startsWith("3,256,precopy,")).findFirst().orElseThrow().split(",", -1);
        assertEquals("393.2", precopy[5]);
        assertEquals("4.9", precopy[7], "downtime vs hold, as bench computed it");
        assertEquals(9304.0 / 943, Double.parseDouble(precopy[11]), 1e-9, "stall vs hold");
        Path html = dir.resolve("bench.html");
        assertEquals(0, run("report", "--bench", bench.toString(), "--format", "html", "--out", html.toString()));
        String page = Files.readString(html);
        assertTrue(page.contains("<td>precopy</td><td>393.2 / 996.3</td><td>4.90×</td>"), page);
        assertEquals(5, MEDIAN_AND_MAX.matcher(page).results().count(), "a bar per mode, labelled median / max");
        assertTrue(page.contains(">393.2 / 996.3 ms</text>"), "precopy's bar");
    }

    @Test
    void notABenchResultFailsAndWritesNothing() throws IOException {
        Path notBench = dir.resolve("not-bench.json");
        Files.writeString(notBench, "{\"runs\": \"many\"");
        Map<Path, String> before = files();
        assertEquals(ExitCode.FAILED.code(), run("report", "--bench", notBench.toString(), "--format", "pdf", "--out", dir.resolve("b.pdf").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a hotsnap bench --json result"), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count());
        assertEquals(before, files());
    }

    @Test
    void repeatedOrEmptyIdsAreAUsageErrorAndWriteNothing() throws IOException {
        assertFailsChangingNothing(ExitCode.USAGE.code(), "must be distinct", id + "," + id, "csv", dir.resolve("out.csv"));
        err.reset();
        assertFailsChangingNothing(ExitCode.USAGE.code(), "separated by single commas", id + ",,local", "csv", dir.resolve("out.csv"));
    }

    @Test
    void oneUnknownIdAmongSeveralIsAConflictAndWritesNothing() throws IOException {
        assertFailsChangingNothing(ExitCode.CONFLICT.code(), "no snapshot 'nope'", id + ",nope", "pdf", dir.resolve("out.pdf"));
    }

    @Test
    void unknownIdIsAConflictAndWritesNothing() throws IOException {
        assertFailsChangingNothing(ExitCode.CONFLICT.code(), "no snapshot 'nope'", "nope", "html", dir.resolve("out.html"));
    }

    @Test
    void snapshotWithoutManifestIsAConflictAndWritesNothing() throws IOException {
        Files.createDirectories(store.dir("half"));
        assertFailsChangingNothing(ExitCode.CONFLICT.code(), "has no manifest", "half", "csv", dir.resolve("out.csv"));
    }

    @Test
    void corruptManifestFailsAndWritesNothing() throws IOException {
        Files.writeString(store.dir(id).resolve(SnapshotStore.MANIFEST), "{\"id\": ");
        assertFailsChangingNothing(ExitCode.FAILED.code(), "unreadable manifest", id, "json", dir.resolve("out.json"));
    }

    @Test
    void unwritableOutFailsAndWritesNothing() throws IOException {
        assertFailsChangingNothing(ExitCode.FAILED.code(), "cannot write", id, "html", dir.resolve("missing-dir/out.html"));
    }

    @Test
    void unknownFormatIsAUsageErrorAndWritesNothing() throws IOException {
        assertFailsChangingNothing(ExitCode.USAGE.code(), "--format must be json, csv, html, pdf, not 'xml'", id, "xml", dir.resolve("out.xml"));
    }

    /** One line on stderr, the exit code, nothing on stdout, and every file as it was: an existing --out too. */
    private void assertFailsChangingNothing(int code, String message, String snapshot, String format, Path outFile) throws IOException {
        if (Files.isDirectory(outFile.getParent())) {
            Files.writeString(outFile, "earlier report");
        }
        Map<Path, String> before = files();
        assertEquals(code, run("report", snapshot, "--store", store.root().toString(), "--format", format, "--out", outFile.toString()));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains(message), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals(before, files());
    }

    private Map<Path, String> files() throws IOException {
        Map<Path, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                all.put(p, Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
            }
        }
        return all;
    }

    /** The timeline chart is there, and each VM's name is a row's text in it. */
    private static void assertTimelineNamesEveryVm(String html) {
        int from = html.indexOf("aria-label=\"timeline per VM");
        assertTrue(from > 0, "the timeline chart");
        String svg = html.substring(from, html.indexOf("</svg>", from));
        RecordedSnapshot.result().vms().forEach(v -> assertTrue(svg.contains(">" + v.name() + "</text>"), v.name() + " names a row"));
    }

    private String pdfText(String snapshots) throws IOException {
        Path file = dir.resolve("report.pdf");
        assertEquals(0, run("report", snapshots, "--store", store.root().toString(), "--format", "pdf", "--out", file.toString()),
                err.toString(StandardCharsets.UTF_8));
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private static VmPart withKernel(VmPart p, String kernel) {
        return new VmPart(p.name(), p.qemuVersion(), p.cmdline(), p.qmp(), p.memoryBytesOfGuest(), p.memory(), p.disks(), p.stopAt(),
                p.resumeAt(), p.transientDoneAt(), p.fullDoneAt(), kernel, p.libvirt());
    }

    private static VmPart renamed(VmPart p, String name) {
        return new VmPart(name, p.qemuVersion(), p.cmdline(), p.qmp(), p.memoryBytesOfGuest(), p.memory(), p.disks(), p.stopAt(),
                p.resumeAt(), p.transientDoneAt(), p.fullDoneAt(), p.kernelRelease(), p.libvirt());
    }
}
