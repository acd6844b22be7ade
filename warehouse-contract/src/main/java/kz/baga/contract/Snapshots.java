package kz.baga.contract;

/**
 * The layout of a warehouse folder: {@code CURRENT} names the last committed snapshot, each snapshot is a
 * folder {@code snapshots/ID/} with a {@code manifest.json} and one folder per {@link Table}.
 */
public final class Snapshots {

    public static final String CURRENT = "CURRENT";
    public static final String SNAPSHOTS_DIR = "snapshots";
    public static final String MANIFEST = "manifest.json";

    private Snapshots() {
    }

    /** Path of a snapshot relative to the warehouse root. */
    public static String snapshotPath(String snapshotId) {
        return SNAPSHOTS_DIR + "/" + snapshotId;
    }

    /** Path of a table inside a snapshot, relative to the warehouse root. */
    public static String tablePath(String snapshotId, Table table) {
        return snapshotPath(snapshotId) + "/" + table.tableName();
    }
}
