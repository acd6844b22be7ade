package kz.baga.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Turns the measurements of {@code bench/run-peers} (one JSON line per run) into medians and ratios:
 * {@code bench/results/DATE.json}, a Markdown table, and a log-log chart of time against events (JFreeChart PNG).
 */
public final class PeersReport {

    /** The systems in table order, with their labels. */
    static final Map<String, String> SYSTEMS = new LinkedHashMap<>();

    static {
        SYSTEMS.put("baga", "Baga local[2]");
        SYSTEMS.put("baga1", "Baga local[1]");
        SYSTEMS.put("bagapq", "Baga local[2], Parquet input");
        SYSTEMS.put("bagaserver", "Baga local[2], warm pipeline server");
        SYSTEMS.put("duckdb", "DuckDB (reference SQL)");
        SYSTEMS.put("postgres", "PostgreSQL 15 (COPY + same SQL)");
    }

    private PeersReport() {
    }

    public static void main(String[] args) throws IOException {
        Path meas = null;
        Path json = null;
        Path md = null;
        Path chart = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--measurements" -> meas = Path.of(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--markdown" -> md = Path.of(args[++i]);
                case "--chart" -> chart = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (meas == null) {
            throw new IllegalArgumentException("--measurements FILE is required");
        }
        ObjectNode report = aggregate(Files.readAllLines(meas, StandardCharsets.UTF_8));
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String table = markdown(report);
        System.out.println(table);
        if (json != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
            om.writeValue(json.toFile(), report);
        }
        if (md != null) {
            Files.writeString(md, table, StandardCharsets.UTF_8);
        }
        if (chart != null) {
            Files.createDirectories(chart.toAbsolutePath().getParent());
            chart(report, chart);
        }
    }

    static ObjectNode aggregate(List<String> lines) throws IOException {
        ObjectMapper om = new ObjectMapper();
        // size -> system -> runs
        Map<Long, Map<String, List<JsonNode>>> bySize = new TreeMap<>();
        Map<Long, JsonNode> inputs = new TreeMap<>();
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            JsonNode n = om.readTree(l);
            long events = n.path("events").asLong();
            if ("input".equals(n.path("system").asText())) {
                inputs.put(events, n);
                continue;
            }
            bySize.computeIfAbsent(events, k -> new LinkedHashMap<>())
                    .computeIfAbsent(n.path("system").asText(), k -> new ArrayList<>()).add(n);
        }
        ObjectNode out = om.createObjectNode();
        out.put("created_at", Instant.now().toString());
        ObjectNode machine = out.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("load_average_at_report", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        machine.put("note", "2 cores; medians of the runs listed; the 1-minute load average before each run is recorded");
        ArrayNode sizes = out.putArray("sizes");
        for (Map.Entry<Long, Map<String, List<JsonNode>>> e : bySize.entrySet()) {
            ObjectNode s = sizes.addObject();
            JsonNode in = inputs.get(e.getKey());
            s.put("size", in != null ? in.path("size").asText() : String.valueOf(e.getKey()));
            s.put("events", e.getKey());
            if (in != null) {
                s.put("schools", in.path("schools").asInt());
                s.put("input_bytes", in.path("bytes").asLong());
            }
            ObjectNode systems = s.putObject("systems");
            for (Map.Entry<String, List<JsonNode>> sys : e.getValue().entrySet()) {
                ObjectNode o = systems.putObject(sys.getKey());
                List<JsonNode> runs = sys.getValue();
                o.put("runs", runs.size());
                ArrayNode walls = o.putArray("wall_s");
                runs.forEach(r -> walls.add(r.path("wall_s").asDouble()));
                o.put("median_wall_s", median(runs, r -> r.path("wall_s").asDouble()));
                ArrayNode loads = o.putArray("load1_before");
                runs.forEach(r -> loads.add(r.path("load1_before").asDouble()));
                Map<String, List<Double>> phases = new LinkedHashMap<>();
                for (JsonNode r : runs) {
                    JsonNode p = r.has("phases") ? r.path("phases") : r.path("detail").path("phases");
                    for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> f = it.next();
                        phases.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue().asDouble());
                    }
                    if (r.has("detail")) {
                        phases.computeIfAbsent("in_process_total", k -> new ArrayList<>())
                                .add(r.path("detail").path("total_s").asDouble());
                    }
                }
                ObjectNode mp = o.putObject("median_phases_s");
                phases.forEach((k, v) -> mp.put(k, medianOf(v)));
                if (sys.getKey().equals("postgres") && mp.has("load")) {
                    o.put("median_load_s", mp.get("load").asDouble());
                    o.put("median_sql_s", mp.path("in_process_total").asDouble() - mp.get("load").asDouble());
                }
            }
            ObjectNode ratios = s.putObject("ratios");
            double baga = systems.path("baga").path("median_wall_s").asDouble(Double.NaN);
            ratio(ratios, "baga_over_duckdb", baga, systems.path("duckdb").path("median_wall_s").asDouble(Double.NaN));
            ratio(ratios, "baga_over_postgres", baga,
                    systems.path("postgres").path("median_wall_s").asDouble(Double.NaN));
            ratio(ratios, "baga_local1_over_local2", systems.path("baga1").path("median_wall_s").asDouble(Double.NaN),
                    baga);
            ratio(ratios, "baga_parquet_over_csv", systems.path("bagapq").path("median_wall_s").asDouble(Double.NaN),
                    baga);
            double server = systems.path("bagaserver").path("median_wall_s").asDouble(Double.NaN);
            ratio(ratios, "server_over_duckdb", server, systems.path("duckdb").path("median_wall_s").asDouble(Double.NaN));
            ratio(ratios, "server_over_postgres", server,
                    systems.path("postgres").path("median_wall_s").asDouble(Double.NaN));
            ratio(ratios, "server_over_new_jvm", server, baga);
        }
        return out;
    }

    private static void ratio(ObjectNode o, String name, double a, double b) {
        if (!Double.isNaN(a) && !Double.isNaN(b) && b > 0) {
            o.put(name, Math.round(a / b * 100) / 100.0);
        }
    }

    interface D {
        double of(JsonNode n);
    }

    static double median(List<JsonNode> runs, D f) {
        return medianOf(runs.stream().map(f::of).toList());
    }

    static double medianOf(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        double m = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return Math.round(m * 1000) / 1000.0;
    }

    static String markdown(JsonNode report) {
        StringBuilder sb = new StringBuilder();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (JsonNode s : report.path("sizes")) {
            for (JsonNode sys : s.path("systems")) {
                for (JsonNode l : sys.path("load1_before")) {
                    lo = Math.min(lo, l.asDouble());
                    hi = Math.max(hi, l.asDouble());
                }
            }
        }
        sb.append("Medians of wall-clock seconds per whole process (JVM start to exit), ")
                .append(report.path("created_at").asText(), 0, 10).append(", ")
                .append(report.path("machine").path("cores").asInt()).append(" cores (1-minute load")
                .append(String.format(Locale.ROOT, " average %.1f-%.1f before the runs).%n%n", lo == Double.MAX_VALUE ? 0 : lo, hi));
        sb.append("| events | runs | Baga local[2] (ingest / marks / metrics) | Baga local[1] | DuckDB | "
                + "PostgreSQL total (load + SQL) | Baga / DuckDB | Baga / PostgreSQL | local[1] / local[2] | "
                + "Baga on Parquet input | Parquet / CSV |\n");
        sb.append("|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (JsonNode s : report.path("sizes")) {
            JsonNode sys = s.path("systems");
            JsonNode b = sys.path("baga");
            JsonNode bp = b.path("median_phases_s");
            JsonNode pg = sys.path("postgres");
            sb.append(String.format(Locale.ROOT, "| %,d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    s.path("events").asLong(), b.path("runs").asInt(sys.path("duckdb").path("runs").asInt()),
                    b.isMissingNode() ? "–" : String.format(Locale.ROOT, "%.1f (%.1f / %.1f / %.1f)",
                            b.path("median_wall_s").asDouble(), bp.path("ingest").asDouble(),
                            bp.path("marks").asDouble(), bp.path("metrics").asDouble()),
                    fmt(sys.path("baga1")), fmt(sys.path("duckdb")),
                    pg.isMissingNode() ? "–" : String.format(Locale.ROOT, "%.1f (%.1f + %.1f)",
                            pg.path("median_wall_s").asDouble(), pg.path("median_load_s").asDouble(),
                            pg.path("median_sql_s").asDouble()),
                    r(s, "baga_over_duckdb"), r(s, "baga_over_postgres"), r(s, "baga_local1_over_local2"),
                    fmt(sys.path("bagapq")), r(s, "baga_parquet_over_csv")));
        }
        boolean anyServer = false;
        for (JsonNode s : report.path("sizes")) {
            anyServer |= !s.path("systems").path("bagaserver").isMissingNode();
        }
        if (anyServer) {
            // The same pipeline handed to a long-lived JVM (./baga pipeline-server): timed from the client's start
            // to its exit, the server warmed up on the committed sample when it started.
            sb.append("\nThe same runs handed to a warm pipeline server (`./baga pipeline-server`; whole client process, ")
                    .append("the server started once before the runs and warmed up on the committed sample):\n\n");
            sb.append("| events | runs | Baga server (ingest / marks / metrics) | server / new JVM | server / DuckDB | "
                    + "server / PostgreSQL |\n");
            sb.append("|---:|---:|---|---:|---:|---:|\n");
            for (JsonNode s : report.path("sizes")) {
                JsonNode b = s.path("systems").path("bagaserver");
                if (b.isMissingNode()) {
                    continue;
                }
                JsonNode bp = b.path("median_phases_s");
                sb.append(String.format(Locale.ROOT, "| %,d | %d | %.1f (%.1f / %.1f / %.1f) | %s | %s | %s |%n",
                        s.path("events").asLong(), b.path("runs").asInt(), b.path("median_wall_s").asDouble(),
                        bp.path("ingest").asDouble(), bp.path("marks").asDouble(), bp.path("metrics").asDouble(),
                        r(s, "server_over_new_jvm"), r(s, "server_over_duckdb"), r(s, "server_over_postgres")));
            }
        }
        return sb.toString();
    }

    private static String fmt(JsonNode n) {
        return n.isMissingNode() ? "–" : String.format(Locale.ROOT, "%.1f", n.path("median_wall_s").asDouble());
    }

    private static String r(JsonNode s, String k) {
        JsonNode v = s.path("ratios").path(k);
        return v.isMissingNode() ? "–" : String.format(Locale.ROOT, "%.2f×", v.asDouble());
    }

    static void chart(JsonNode report, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, String> sys : SYSTEMS.entrySet()) {
            XYSeries series = new XYSeries(sys.getValue());
            for (JsonNode s : report.path("sizes")) {
                JsonNode o = s.path("systems").path(sys.getKey());
                if (!o.isMissingNode()) {
                    series.add(s.path("events").asDouble(), o.path("median_wall_s").asDouble());
                }
            }
            if (series.getItemCount() > 0) {
                data.addSeries(series);
            }
        }
        double xMin = Double.MAX_VALUE;
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            XYSeries sr = data.getSeries(i);
            xMin = Math.min(xMin, sr.getMinX());
            xMax = Math.max(xMax, sr.getMaxX());
            yMin = Math.min(yMin, sr.getMinY());
            yMax = Math.max(yMax, sr.getMaxY());
        }
        LogAxis x = new LogAxis("events (generated district, CSV input)");
        x.setBase(10);
        x.setRange(Math.pow(10, Math.floor(Math.log10(xMin * 0.7))), Math.pow(10, Math.ceil(Math.log10(xMax * 1.4))));
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        x.setMinorTickCount(9);
        LogAxis y = new LogAxis("seconds, whole process (median)");
        y.setBase(10);
        y.setRange(Math.pow(10, Math.floor(Math.log10(yMin * 0.7))), Math.pow(10, Math.ceil(Math.log10(yMax * 1.4))));
        y.setTickUnit(new NumberTickUnit(1));
        y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        y.setMinorTickCount(9);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        // One colour per system, whichever of them a report has (Baga in reds, the peers in blue and green).
        Map<String, Color> colors = Map.of(SYSTEMS.get("baga"), new Color(0xC0392B),
                SYSTEMS.get("baga1"), new Color(0xE59866), SYSTEMS.get("bagapq"), new Color(0x7D3C98),
                SYSTEMS.get("bagaserver"), new Color(0x641E16),
                SYSTEMS.get("duckdb"), new Color(0x229954), SYSTEMS.get("postgres"), new Color(0x2471A3));
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, colors.getOrDefault(String.valueOf(data.getSeriesKey(i)), Color.GRAY));
            renderer.setSeriesStroke(i, new BasicStroke(2.2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart("Baga vs peers: time against events (log-log)",
                new Font("DejaVu Sans", Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle("2 cores; lower is better; " + report.path("created_at").asText()
                .substring(0, 10), new Font("DejaVu Sans", Font.PLAIN, 11)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
    }
}
