package kz.baga.jobs.snapshot;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One pipeline run at a time per warehouse: an OS file lock on {@code WAREHOUSE/.lock}. Two runs on one warehouse
 * both committed before, each pruning and cleaning under the other. The operating system releases the lock when
 * its process ends, however it ends, so a killed run never leaves the warehouse locked; the file itself stays and
 * only says who holds it (pid, host, start) for the message of the run that is refused.
 *
 * <p>Local warehouses only: {@code hdfs://} and {@code s3a://} have no such lock.
 */
public final class WarehouseLock implements AutoCloseable {

    public static final String FILE = ".lock";

    /** Another run holds the warehouse; the message names it. */
    public static final class BusyException extends RuntimeException {
        public BusyException(String message) {
            super(message);
        }
    }

    /**
     * Warehouses this JVM holds, with their holder text. POSIX locks belong to the process, and closing any channel
     * on the file drops all of them, so this JVM never opens the lock file of a warehouse it already holds.
     */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Instant started;

    private WarehouseLock(Path key, FileChannel channel, FileLock lock, Instant started) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.started = started;
    }

    /**
     * Takes the lock of the warehouse folder {@code root} (created if missing).
     *
     * @param wait    wait for the holder to finish instead of refusing
     * @param waiting told once, with the holder, when the run has to wait
     * @throws BusyException when another run holds it and {@code wait} is false
     */
    public static WarehouseLock acquire(Path root, boolean wait, Consumer<String> waiting) throws IOException {
        Files.createDirectories(root);
        Path key = root.toAbsolutePath().normalize();
        Path file = key.resolve(FILE);
        boolean told = false;
        while (true) {
            String holder;
            // One attempt at a time in this JVM, so that no channel is closed here while another thread holds.
            synchronized (HELD) {
                holder = HELD.get(key);
                if (holder == null) {
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        Instant now = Instant.now();
                        String me = "pid " + ProcessHandle.current().pid() + " on " + hostName() + " since " + now;
                        channel.truncate(0);
                        channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                        channel.force(false);
                        HELD.put(key, me);
                        return new WarehouseLock(key, channel, lock, now);
                    }
                    channel.close();
                    holder = holder(file);
                }
            }
            told = busy(key, holder, wait, waiting, told);
        }
    }

    /** Refuses, or (waiting) says so once and sleeps a second; returns whether the wait has been told. */
    private static boolean busy(Path root, String holder, boolean wait, Consumer<String> waiting, boolean told)
            throws IOException {
        if (!wait) {
            throw new BusyException("warehouse " + root + " is in use by another pipeline run (" + holder
                    + "); run again when it has finished, or add --wait");
        }
        if (!told && waiting != null) {
            waiting.accept("waiting for the warehouse: another pipeline run holds it (" + holder + ")");
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the warehouse lock", e);
        }
        return true;
    }

    /**
     * Who holds the warehouse's lock, if anyone: a look before a run starts its Spark session, so that a busy
     * warehouse is refused in a second. The run itself still takes the lock ({@link #acquire}).
     */
    public static Optional<String> holderIfBusy(Path root) {
        Path key = root.toAbsolutePath().normalize();
        Path file = key.resolve(FILE);
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                return Optional.of(HELD.get(key));
            }
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    lock.release();
                    return Optional.empty();
                }
                return Optional.of(holder(file));
            } catch (IOException | OverlappingFileLockException e) {
                return Optional.empty();
            }
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unknown host";
        }
    }

    /** When this run took the lock: work folders older than this belong to runs that are gone. */
    public Instant started() {
        return started;
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            try {
                lock.release();
            } finally {
                channel.close();
                HELD.remove(key);
            }
        }
    }
}
