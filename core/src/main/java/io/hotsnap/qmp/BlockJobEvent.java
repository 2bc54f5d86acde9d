package io.hotsnap.qmp;

/**
 * The data of QEMU's block-job events ({@code BLOCK_JOB_COMPLETED}, {@code BLOCK_JOB_READY},
 * {@code BLOCK_JOB_ERROR}), the members the engine reads.
 *
 * @param device the job's id
 * @param error  why a completed job failed ({@code BLOCK_JOB_COMPLETED} only), or null
 */
public record BlockJobEvent(String device, String error) {

    public static final String COMPLETED = "BLOCK_JOB_COMPLETED";
    public static final String READY = "BLOCK_JOB_READY";
    public static final String ERROR = "BLOCK_JOB_ERROR";

    /** Whether {@code event} is a block-job event named {@code name} about the job {@code job}. */
    public static boolean is(QmpEvent event, String name, String job) {
        return event.name().equals(name) && job.equals(of(event).device());
    }

    public static BlockJobEvent of(QmpEvent event) {
        return event.dataAs(BlockJobEvent.class);
    }
}
