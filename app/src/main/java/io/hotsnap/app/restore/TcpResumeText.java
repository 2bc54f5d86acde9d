package io.hotsnap.app.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A restored VM's TCP line on the wizard's last page, from the restore's {@code tcp} event. */
final class TcpResumeText {

    private TcpResumeText() {
    }

    /** Each stream to or from the VM, when its first data arrived after the resume; or why there is no figure. */
    static String of(String vm, JsonNode data) {
        if (data.hasNonNull("notMeasured")) {
            return "not measured: " + data.path("notMeasured").asText();
        }
        double windowS = data.path("windowMs").asDouble() / 1000;
        JsonNode flows = data.path("flows");
        if (flows.isEmpty()) {
            return String.format("no traffic seen in %.0f s", windowS);
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode f : flows) {
            boolean out = vm.equals(f.path("from").asText());
            String peer = (out ? "to " : "from ") + (out ? f.path("to") : f.path("from")).asText();
            if (!f.hasNonNull("firstDataMs")) {
                lines.add(String.format("%s: no data in %.0f s", peer, windowS));
                continue;
            }
            int retransmits = f.path("retransmits").asInt();
            int resets = f.path("resets").asInt();
            lines.add(String.format("%s: TCP resumed after %.0f ms (longest stall %.0f ms, %d retransmission%s%s)", peer,
                    f.path("firstDataMs").asDouble(), f.path("stallMs").asDouble(), retransmits, retransmits == 1 ? "" : "s",
                    resets == 0 ? "" : ", " + resets + " reset" + (resets == 1 ? "" : "s")));
        }
        return String.join("; ", lines);
    }
}
