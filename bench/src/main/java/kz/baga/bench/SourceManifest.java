package kz.baga.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One event source of an input folder as docs/pipeline.md describes it: the canonical {@code events/*.csv}, or a
 * {@code sources/NAME/} folder whose {@code manifest.json} maps another system's columns onto the canonical ones
 * (columns, constants, value maps, charset, delimiter, date formats, decimal separator).
 */
public record SourceManifest(String name, String folder, List<Path> files, Charset charset, char delimiter,
                             String dateFormat, String timestampFormat, String decimalSeparator,
                             Map<String, String> columns, Map<String, String> constants,
                             Map<String, Map<String, String>> valueMaps) {

    /** The canonical event columns, the order of docs/pipeline.md. */
    public static final List<String> CANONICAL = List.of("source", "event_id", "academic_year", "iin", "school_id",
            "class_label", "grade_level", "subject_code", "term", "kind", "score", "max_score", "event_date",
            "recorded_at");

    /** Every source of an input folder. */
    public static List<SourceManifest> of(Path input) throws IOException {
        List<SourceManifest> out = new ArrayList<>();
        Path events = input.resolve("events");
        if (Files.isDirectory(events)) {
            Map<String, String> identity = new LinkedHashMap<>();
            CANONICAL.forEach(c -> identity.put(c, c));
            out.add(new SourceManifest("events", "events", list(events, "*.csv"), StandardCharsets.UTF_8, ',',
                    "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", ".", identity, Map.of(), Map.of()));
        }
        Path sources = input.resolve("sources");
        if (Files.isDirectory(sources)) {
            try (Stream<Path> dirs = Files.list(sources)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path manifest = dir.resolve("manifest.json");
                    if (Files.isRegularFile(manifest)) {
                        out.add(parse(dir, new ObjectMapper().readTree(manifest.toFile())));
                    }
                }
            }
        }
        return out;
    }

    private static SourceManifest parse(Path dir, JsonNode m) throws IOException {
        if (!"csv".equals(m.path("type").asText("csv"))) {
            throw new IllegalArgumentException(dir + ": only csv sources are supported by the reference");
        }
        Map<String, String> columns = new LinkedHashMap<>();
        m.path("columns").fields().forEachRemaining(e -> columns.put(e.getKey(), e.getValue().asText()));
        Map<String, String> constants = new LinkedHashMap<>();
        m.path("constants").fields().forEachRemaining(e -> constants.put(e.getKey(), e.getValue().asText()));
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        m.path("valueMaps").fields().forEachRemaining(e -> {
            Map<String, String> vm = new LinkedHashMap<>();
            e.getValue().fields().forEachRemaining(v -> vm.put(v.getKey(), v.getValue().asText()));
            maps.put(e.getKey(), vm);
        });
        String folder = "sources/" + dir.getFileName();
        return new SourceManifest(m.path("source").asText(dir.getFileName().toString()), folder,
                list(dir, m.path("files").asText("*.csv")), Charset.forName(m.path("encoding").asText("UTF-8")),
                m.path("delimiter").asText(",").charAt(0), m.path("dateFormat").asText("yyyy-MM-dd"),
                m.path("timestampFormat").asText("yyyy-MM-dd HH:mm:ss"), m.path("decimalSeparator").asText("."),
                columns, constants, maps);
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && matcher.matches(p.getFileName())).sorted().toList();
        }
    }
}
