package kz.baga.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code event-log-summary FILE}: where a Spark application's time went, from its event log
 * ({@code -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=DIR} on the pipeline's JVM): application span, time
 * covered by running stages versus time with no stage running (JVM/session start, planning, driver-side work,
 * commit), and the longest stages with their tasks, CPU, GC, input and shuffle volumes.
 */
public final class EventLogSummary {

    record Stage(int id, String name, long submitted, long completed, int tasks, long runMs, long cpuNs, long gcMs,
                 long inputBytes, long shuffleRead, long shuffleWrite) {
        long duration() {
            return completed - submitted;
        }
    }

    private EventLogSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: event-log-summary SPARK_EVENT_LOG_FILE");
            System.exit(2);
        }
        System.out.print(summarise(Path.of(args[0]), 15));
    }

    public static String summarise(Path log, int top) throws IOException {
        ObjectMapper om = new ObjectMapper();
        long appStart = 0;
        long appEnd = 0;
        Map<Integer, long[]> metrics = new LinkedHashMap<>(); // stage -> runMs, cpuNs, gcMs, input, shRead, shWrite
        List<Stage> stages = new ArrayList<>();
        int jobs = 0;
        // Spark 4 writes a rolling log: a folder eventlog_v2_APP/ with events_1_APP, events_2_APP, ... files
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(log)) {
            try (var s = Files.list(log)) {
                s.filter(p -> p.getFileName().toString().startsWith("events_"))
                        .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().split("_")[1])))
                        .forEach(files::add);
            }
        } else {
            files.add(log);
        }
        for (Path file : files) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode e = om.readTree(line);
                switch (e.path("Event").asText()) {
                    case "SparkListenerApplicationStart" -> appStart = e.path("Timestamp").asLong();
                    case "SparkListenerApplicationEnd" -> appEnd = e.path("Timestamp").asLong();
                    case "SparkListenerJobStart" -> jobs++;
                    case "SparkListenerTaskEnd" -> {
                        JsonNode m = e.path("Task Metrics");
                        long[] a = metrics.computeIfAbsent(e.path("Stage ID").asInt(), k -> new long[6]);
                        a[0] += m.path("Executor Run Time").asLong();
                        a[1] += m.path("Executor CPU Time").asLong();
                        a[2] += m.path("JVM GC Time").asLong();
                        a[3] += m.path("Input Metrics").path("Bytes Read").asLong();
                        a[4] += m.path("Shuffle Read Metrics").path("Remote Bytes Read").asLong()
                                + m.path("Shuffle Read Metrics").path("Local Bytes Read").asLong();
                        a[5] += m.path("Shuffle Write Metrics").path("Shuffle Bytes Written").asLong();
                    }
                    case "SparkListenerStageCompleted" -> {
                        JsonNode s = e.path("Stage Info");
                        int id = s.path("Stage ID").asInt();
                        long[] a = metrics.getOrDefault(id, new long[6]);
                        stages.add(new Stage(id, s.path("Stage Name").asText(), s.path("Submission Time").asLong(),
                                s.path("Completion Time").asLong(), s.path("Number of Tasks").asInt(), a[0], a[1], a[2],
                                a[3], a[4], a[5]));
                    }
                    default -> { }
                }
            }
        }
        }
        if (appEnd == 0) {
            appEnd = stages.stream().mapToLong(Stage::completed).max().orElse(appStart);
        }
        // union of stage intervals: time during which at least one stage ran
        List<long[]> iv = new ArrayList<>();
        stages.stream().sorted(Comparator.comparingLong(Stage::submitted))
                .forEach(s -> {
                    if (!iv.isEmpty() && s.submitted() <= iv.get(iv.size() - 1)[1]) {
                        iv.get(iv.size() - 1)[1] = Math.max(iv.get(iv.size() - 1)[1], s.completed());
                    } else {
                        iv.add(new long[] {s.submitted(), s.completed()});
                    }
                });
        long busy = iv.stream().mapToLong(x -> x[1] - x[0]).sum();
        long firstStage = iv.isEmpty() ? appEnd : iv.get(0)[0];
        StringBuilder sb = new StringBuilder();
        double span = (appEnd - appStart) / 1000.0;
        long runMs = stages.stream().mapToLong(Stage::runMs).sum();
        long cpuMs = stages.stream().mapToLong(Stage::cpuNs).sum() / 1_000_000;
        long gcMs = stages.stream().mapToLong(Stage::gcMs).sum();
        long shuffle = stages.stream().mapToLong(Stage::shuffleWrite).sum();
        sb.append(String.format(Locale.ROOT, "application %.1f s (session start to end); %d jobs, %d stages, %d tasks%n",
                span, jobs, stages.size(), stages.stream().mapToInt(Stage::tasks).sum()));
        sb.append(String.format(Locale.ROOT, "  before the first stage: %.1f s (session start, reading reference files, planning)%n",
                (firstStage - appStart) / 1000.0));
        sb.append(String.format(Locale.ROOT, "  some stage running: %.1f s; no stage running: %.1f s (driver: planning,"
                + " code generation, listing files, commit)%n", busy / 1000.0, span - busy / 1000.0));
        sb.append(String.format(Locale.ROOT, "  task time %.1f s, of it CPU %.1f s and GC %.1f s; shuffle written %.1f MB%n",
                runMs / 1000.0, cpuMs / 1000.0, gcMs / 1000.0, shuffle / 1e6));
        sb.append(String.format(Locale.ROOT, "%n  %-6s %8s %6s %9s %8s %7s %10s %10s  %s%n", "stage", "seconds", "tasks",
                "task s", "cpu s", "gc s", "input MB", "shuffle MB", "name"));
        stages.stream().sorted(Comparator.comparingLong(Stage::duration).reversed()).limit(top).forEach(s ->
                sb.append(String.format(Locale.ROOT, "  %-6d %8.1f %6d %9.1f %8.1f %7.1f %10.1f %10.1f  %s%n", s.id(),
                        s.duration() / 1000.0, s.tasks(), s.runMs() / 1000.0, s.cpuNs() / 1e9, s.gcMs() / 1000.0,
                        s.inputBytes() / 1e6, (s.shuffleRead() + s.shuffleWrite()) / 1e6, abbreviate(s.name()))));
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 70 ? s.substring(0, 70) + "…" : s;
    }
}
