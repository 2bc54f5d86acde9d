package io.hotsnap.cli;

import io.hotsnap.agent.Agent;
import io.hotsnap.agent.SnapshotAgentHandler;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code hotsnap agent}: serves the cluster protocol on stdin/stdout for a coordinator (started over
 * SSH, or as a child by the local link). Logs go to stderr. Hidden from the help: nobody types it.
 */
@Command(name = "agent", hidden = true, mixinStandardHelpOptions = true,
        description = "Serve the coordinator's protocol on stdin/stdout (started by the console, not by hand).")
final class AgentCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        // The protocol owns fd 1. System.out itself would hide write errors (PrintStream swallows
        // them) and is open to any stray print: so the agent writes to the descriptor directly,
        // and System.out is pointed at stderr, where a stray print is just noise in the log.
        FileOutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            new Agent(System.in, protocolOut, SnapshotAgentHandler::new).run();
        } finally {
            System.setOut(stdout);
        }
        return 0;
    }
}
