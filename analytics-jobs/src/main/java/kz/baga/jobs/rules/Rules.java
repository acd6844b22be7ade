package kz.baga.jobs.rules;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versioned rules of one academic year (docs/rules.md): weights, scale, policies, medal and indicator
 * settings. Every number the pipeline compares with lives here, not in code; a snapshot records
 * {@link #version()} and the file's checksum.
 */
public final class Rules {

    public static final String DEFAULT_RESOURCE = "rules/kz-2025-2026.json";

    /** One step of the percentage-to-mark scale: a rounded percentage of at least {@code minPercent} gives {@code mark}. */
    public record ScaleStep(int minPercent, int mark) {
    }

    private final String version;
    private final String sha256;
    private final String yearStart;
    private final String yearEnd;
    private final int markedFrom;
    private final int markedTo;
    private final int foMin;
    private final int foMax;
    private final int certifiedMin;
    private final int certifiedMax;
    private final Map<String, BigDecimal> weightsWithSoch;
    private final Map<String, BigDecimal> weightsWithoutSoch;
    private final String sorPooling;
    private final String finalMark;
    private final List<ScaleStep> scale;
    private final BigDecimal atRiskBelow;
    private final int historyFromGrade;
    private final int[] honours9Grades;
    private final int[] honours9EvaluatedIn;
    private final int[] honours11Grades;
    private final int[] honours11EvaluatedIn;
    private final int[] altynTermGrades;
    private final int[] altynEvaluatedIn;
    private final Map<Integer, Integer> souWeights;
    private final int districtMinCell;
    private final String dynamicsPeriod;

    private final JsonNode document;

    private Rules(JsonNode root, String sha256) {
        this.sha256 = sha256;
        this.document = root.deepCopy();
        this.version = text(root, "version");
        JsonNode year = req(root, "academicYear");
        this.yearStart = text(year, "start");
        this.yearEnd = text(year, "end");
        this.markedFrom = integer(req(root, "markedGrades"), "from");
        this.markedTo = integer(req(root, "markedGrades"), "to");
        this.foMin = integer(req(root, "formative"), "minScore");
        this.foMax = integer(req(root, "formative"), "maxScore");
        this.certifiedMin = integer(req(root, "certifiedMarks"), "min");
        this.certifiedMax = integer(req(root, "certifiedMarks"), "max");
        JsonNode weights = req(root, "termWeights");
        this.weightsWithSoch = weights(req(weights, "withSoch"), "withSoch");
        this.weightsWithoutSoch = weights(req(weights, "withoutSoch"), "withoutSoch");
        JsonNode policies = req(root, "policies");
        this.sorPooling = oneOf(policies, "sorPooling", "POOLED", "AVERAGE");
        oneOf(policies, "missingComponent", "RENORMALISE");
        oneOf(policies, "percentRounding", "HALF_UP_TO_WHOLE_PERCENT");
        oneOf(policies, "annualRounding", "HALF_UP");
        this.finalMark = oneOf(policies, "finalMark", "ANNUAL", "MEAN_OF_ANNUAL_AND_EXAM");
        List<ScaleStep> steps = new ArrayList<>();
        for (JsonNode s : req(root, "markScale")) {
            steps.add(new ScaleStep(integer(s, "minPercent"), integer(s, "mark")));
        }
        steps.sort((a, b) -> Integer.compare(b.minPercent(), a.minPercent()));
        if (steps.isEmpty() || steps.get(steps.size() - 1).minPercent() != 0) {
            throw new RulesException("markScale must have a step with minPercent 0");
        }
        this.scale = List.copyOf(steps);
        JsonNode medals = req(root, "medals");
        this.atRiskBelow = decimal(medals, "atRiskBelowPercent");
        this.historyFromGrade = integer(medals, "historyFromGrade");
        this.honours9Grades = ints(req(medals, "honours9"), "grades");
        this.honours9EvaluatedIn = ints(req(medals, "honours9"), "evaluatedInGrades");
        this.honours11Grades = ints(req(medals, "honours11"), "grades");
        this.honours11EvaluatedIn = ints(req(medals, "honours11"), "evaluatedInGrades");
        this.altynTermGrades = ints(req(medals, "altynBelgi"), "termGrades");
        this.altynEvaluatedIn = ints(req(medals, "altynBelgi"), "evaluatedInGrades");
        JsonNode indicators = req(root, "indicators");
        Map<Integer, Integer> sou = new LinkedHashMap<>();
        JsonNode souNode = req(indicators, "souWeights");
        souNode.fieldNames().forEachRemaining(mark -> {
            if (!mark.matches("[0-9]{1,2}")) {
                throw new RulesException("souWeights: '" + mark + "' is not a mark");
            }
            sou.put(Integer.parseInt(mark), integer(souNode, mark));
        });
        this.souWeights = Map.copyOf(sou);
        this.districtMinCell = integer(indicators, "districtMinCell");
        this.dynamicsPeriod = oneOf(req(root, "dynamics"), "period", "month", "week");
    }

    /** The rules shipped with Baga for the current year. */
    public static Rules defaults() {
        try (InputStream in = Rules.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new RulesException("built-in rules " + DEFAULT_RESOURCE + " missing from the classpath");
            }
            return parse(in.readAllBytes(), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new RulesException("cannot read built-in rules: " + e.getMessage());
        }
    }

    public static Rules load(Path file) {
        if (!Files.isReadable(file)) {
            throw new RulesException("rules file " + file + " does not exist or is not readable");
        }
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new RulesException("cannot read rules file " + file + ": " + e.getMessage());
        }
    }

    static Rules parse(byte[] bytes, String name) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RulesException("rules file " + name + " is not valid JSON: " + e.getOriginalMessage());
        }
        try {
            return new Rules(root, sha256(bytes));
        } catch (RulesException e) {
            throw new RulesException("rules file " + name + ": " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode req(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new RulesException("missing field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        return req(node, field).asText();
    }

    private static String oneOf(JsonNode node, String field, String... allowed) {
        String v = text(node, field);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new RulesException("'" + field + "' is " + v + "; supported: " + String.join(", ", allowed));
    }

    /**
     * A whole number. Jackson's {@code asInt()} would read text as 0 (and {@code decimalValue()} likewise), which
     * silently changes a rule; a rules file must say numbers as JSON numbers.
     */
    private static int integer(JsonNode node, String field) {
        JsonNode v = req(node, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new RulesException("'" + field + "' must be a whole number, got " + v);
        }
        return v.intValue();
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode v = req(node, field);
        if (!v.isNumber()) {
            throw new RulesException("'" + field + "' must be a number, got " + v);
        }
        return v.decimalValue();
    }

    /** A non-empty array of whole numbers. */
    private static int[] ints(JsonNode parent, String field) {
        JsonNode array = req(parent, field);
        if (!array.isArray() || array.isEmpty()) {
            throw new RulesException("'" + field + "' must be a non-empty array of grades, got " + array);
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new RulesException("'" + field + "' must hold whole numbers, got " + v);
            }
            out[i] = v.intValue();
        }
        return out;
    }

    private static Map<String, BigDecimal> weights(JsonNode node, String name) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (String kind : List.of("FO", "SOR", "SOCH")) {
            JsonNode v = node.get(kind);
            if (v != null && !v.isNull() && !v.isNumber()) {
                throw new RulesException("weight " + kind + " (" + name + ") must be a number, got " + v);
            }
            BigDecimal w = v == null || v.isNull() ? BigDecimal.ZERO : v.decimalValue();
            if (w.signum() < 0 || w.stripTrailingZeros().scale() > 4) {
                throw new RulesException("weight " + kind + " must be ≥ 0 with at most 4 decimals, got " + w);
            }
            out.put(kind, w);
            total = total.add(w);
        }
        if (total.signum() == 0) {
            throw new RulesException("termWeights." + name + " has no positive weight");
        }
        return Map.copyOf(out);
    }

    public String version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    /**
     * The rules as read, as plain JSON values (maps, lists, numbers, text): a snapshot's manifest carries them so that
     * its readers apply the same numbers.
     */
    public Map<String, Object> document() {
        return new ObjectMapper().convertValue(document, new TypeReference<Map<String, Object>>() { });
    }

    /** Month-day the academic year starts, {@code MM-dd}. */
    public String yearStart() {
        return yearStart;
    }

    public String yearEnd() {
        return yearEnd;
    }

    public int markedFrom() {
        return markedFrom;
    }

    public int markedTo() {
        return markedTo;
    }

    public int foMin() {
        return foMin;
    }

    public int foMax() {
        return foMax;
    }

    public int certifiedMin() {
        return certifiedMin;
    }

    public int certifiedMax() {
        return certifiedMax;
    }

    /** Weight of FO, SOR or SOCH in a term with (or without) a СОЧ. */
    public BigDecimal weight(String kind, boolean withSoch) {
        return (withSoch ? weightsWithSoch : weightsWithoutSoch).get(kind);
    }

    public boolean sorPooled() {
        return "POOLED".equals(sorPooling);
    }

    public boolean finalIsMeanOfAnnualAndExam() {
        return "MEAN_OF_ANNUAL_AND_EXAM".equals(finalMark);
    }

    /** Steps from the highest threshold down; the last has minPercent 0. */
    public List<ScaleStep> scale() {
        return scale;
    }

    /** The lowest rounded percentage that still gives the top mark (85 under the 2025 rules). */
    public int topMarkMinPercent() {
        return scale.get(0).minPercent();
    }

    public int topMark() {
        return scale.get(0).mark();
    }

    public BigDecimal atRiskBelow() {
        return atRiskBelow;
    }

    public int historyFromGrade() {
        return historyFromGrade;
    }

    public int[] honours9Grades() {
        return honours9Grades;
    }

    public int[] honours9EvaluatedIn() {
        return honours9EvaluatedIn;
    }

    public int[] honours11Grades() {
        return honours11Grades;
    }

    public int[] honours11EvaluatedIn() {
        return honours11EvaluatedIn;
    }

    public int[] altynTermGrades() {
        return altynTermGrades;
    }

    public int[] altynEvaluatedIn() {
        return altynEvaluatedIn;
    }

    public int souWeight(int mark) {
        return souWeights.getOrDefault(mark, 0);
    }

    public int districtMinCell() {
        return districtMinCell;
    }

    /** {@code month} or {@code week}: the bucket of {@code grade_dynamics.period_start}. */
    public String dynamicsPeriod() {
        return dynamicsPeriod;
    }

    /** A rules file that cannot be used; the message says which field and why. */
    public static final class RulesException extends RuntimeException {
        public RulesException(String message) {
            super(message);
        }
    }
}
