package kz.baga.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import kz.baga.jobs.rules.Rules.RulesException;
import kz.baga.jobs.rules.Rules.ScaleStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The versioned rules file: the built-in one carries the numbers of docs/rules.md; a bad file fails with a clear
 * message.
 */
class RulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] builtIn() throws IOException {
        try (InputStream in = Rules.class.getClassLoader().getResourceAsStream(Rules.DEFAULT_RESOURCE)) {
            assertThat(in).as(Rules.DEFAULT_RESOURCE).isNotNull();
            return in.readAllBytes();
        }
    }

    /** The built-in rules edited by {@code edit}, parsed under the name {@code bad.json}. */
    private static Rules edited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(builtIn());
        edit.accept(root);
        return Rules.parse(JSON.writeValueAsBytes(root), "bad.json");
    }

    private static ObjectNode obj(ObjectNode root, String... path) {
        ObjectNode node = root;
        for (String p : path) {
            node = (ObjectNode) node.get(p);
        }
        return node;
    }

    @Test
    void builtInRulesCarryTheDomainNumbers() throws Exception {
        Rules r = Rules.defaults();
        assertThat(r.version()).isEqualTo("KZ-2025-2026.1");
        assertThat(r.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(builtIn())));
        assertThat(r.yearStart()).isEqualTo("09-01");
        assertThat(r.yearEnd()).isEqualTo("08-31");
        assertThat(r.markedFrom()).isEqualTo(2);
        assertThat(r.markedTo()).isEqualTo(11);
        assertThat(r.foMin()).isEqualTo(1);
        assertThat(r.foMax()).isEqualTo(10);
        assertThat(r.certifiedMin()).isEqualTo(2);
        assertThat(r.certifiedMax()).isEqualTo(5);
        assertThat(r.sorPooled()).isTrue();
        assertThat(r.finalIsMeanOfAnnualAndExam()).isFalse();
        assertThat(r.scale()).containsExactly(new ScaleStep(85, 5), new ScaleStep(65, 4), new ScaleStep(40, 3),
                new ScaleStep(0, 2));
        assertThat(r.topMarkMinPercent()).isEqualTo(85);
        assertThat(r.topMark()).isEqualTo(5);
        assertThat(r.atRiskBelow()).isEqualByComparingTo("88");
        assertThat(r.historyFromGrade()).isEqualTo(5);
        assertThat(r.honours9Grades()).containsExactly(5, 9);
        assertThat(r.honours9EvaluatedIn()).containsExactly(9);
        assertThat(r.honours11Grades()).containsExactly(10, 11);
        assertThat(r.honours11EvaluatedIn()).containsExactly(10, 11);
        assertThat(r.altynTermGrades()).containsExactly(10, 11);
        assertThat(r.altynEvaluatedIn()).containsExactly(10, 11);
        assertThat(new int[] {r.souWeight(5), r.souWeight(4), r.souWeight(3), r.souWeight(2), r.souWeight(1)})
                .containsExactly(100, 64, 36, 16, 0);
        assertThat(r.districtMinCell()).isEqualTo(5);
        assertThat(r.dynamicsPeriod()).isEqualTo("month");
    }

    @Test
    void weightsWithAndWithoutSoch() {
        Rules r = Rules.defaults();
        // 0.25·FO% + 0.25·SOR% + 0.50·SOCH%; without a СОЧ 0.50·FO% + 0.50·SOR%.
        assertThat(r.weight("FO", true)).isEqualByComparingTo("0.25");
        assertThat(r.weight("SOR", true)).isEqualByComparingTo("0.25");
        assertThat(r.weight("SOCH", true)).isEqualByComparingTo("0.50");
        assertThat(r.weight("FO", false)).isEqualByComparingTo("0.50");
        assertThat(r.weight("SOR", false)).isEqualByComparingTo("0.50");
        assertThat(r.weight("SOCH", false)).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void loadFromAFileRecordsItsChecksum(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.json");
        Files.write(file, builtIn());
        Rules r = Rules.load(file);
        assertThat(r.version()).isEqualTo(Rules.defaults().version());
        assertThat(r.sha256()).isEqualTo(Rules.defaults().sha256());
        Files.writeString(file, new String(builtIn(), StandardCharsets.UTF_8)
                .replace("\"sorPooling\": \"POOLED\"", "\"sorPooling\": \"AVERAGE\""));
        Rules averaged = Rules.load(file);
        assertThat(averaged.sorPooled()).isFalse();
        assertThat(averaged.sha256()).isNotEqualTo(r.sha256());
    }

    @Test
    void missingOrUnreadableFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> Rules.load(missing)).isInstanceOf(RulesException.class)
                .hasMessage("rules file " + missing + " does not exist or is not readable");
    }

    @Test
    void notJson() {
        assertThatThrownBy(() -> Rules.parse("{\"version\": ".getBytes(StandardCharsets.UTF_8), "bad.json"))
                .isInstanceOf(RulesException.class).hasMessageStartingWith("rules file bad.json is not valid JSON");
        assertThatThrownBy(() -> Rules.parse(new byte[0], "empty.json"))
                .isInstanceOf(RulesException.class).hasMessageStartingWith("rules file empty.json");
        assertThatThrownBy(() -> Rules.parse("[1, 2]".getBytes(StandardCharsets.UTF_8), "array.json"))
                .isInstanceOf(RulesException.class).hasMessageStartingWith("rules file array.json");
    }

    @Test
    void missingFieldIsNamed() {
        assertThatThrownBy(() -> edited(root -> root.remove("markScale"))).isInstanceOf(RulesException.class)
                .hasMessage("rules file bad.json: missing field 'markScale'");
        assertThatThrownBy(() -> edited(root -> obj(root, "medals").remove("atRiskBelowPercent")))
                .isInstanceOf(RulesException.class)
                .hasMessage("rules file bad.json: missing field 'atRiskBelowPercent'");
    }

    @Test
    void unsupportedPolicyListsTheSupportedOnes() {
        assertThatThrownBy(() -> edited(root -> obj(root, "policies").put("sorPooling", "MEDIAN")))
                .isInstanceOf(RulesException.class)
                .hasMessage("rules file bad.json: 'sorPooling' is MEDIAN; supported: POOLED, AVERAGE");
        assertThatThrownBy(() -> edited(root -> obj(root, "dynamics").put("period", "day")))
                .isInstanceOf(RulesException.class).hasMessageContaining("'period' is day; supported: month, week");
    }

    @Test
    void scaleNeedsAZeroStep() {
        assertThatThrownBy(() -> edited(root -> ((ArrayNode) root.get("markScale")).remove(3)))
                .isInstanceOf(RulesException.class)
                .hasMessage("rules file bad.json: markScale must have a step with minPercent 0");
    }

    @Test
    void scaleOrderInTheFileDoesNotMatter() throws Exception {
        Rules r = edited(root -> {
            ArrayNode scale = (ArrayNode) root.get("markScale");
            ArrayNode reversed = JSON.createArrayNode();
            for (int i = scale.size() - 1; i >= 0; i--) {
                reversed.add(scale.get(i));
            }
            root.set("markScale", reversed);
        });
        assertThat(r.scale()).extracting(ScaleStep::minPercent).containsExactly(85, 65, 40, 0);
        assertThat(r.topMark()).isEqualTo(5);
    }

    @Test
    void badWeights() {
        assertThatThrownBy(() -> edited(root -> obj(root, "termWeights", "withSoch").put("FO", -0.25)))
                .isInstanceOf(RulesException.class).hasMessageContaining("weight FO must be ≥ 0");
        assertThatThrownBy(() -> edited(root -> obj(root, "termWeights", "withSoch").put("FO", new BigDecimal("0.12345"))))
                .isInstanceOf(RulesException.class).hasMessageContaining("at most 4 decimals");
        // A weight written as text must not silently become 0.
        assertThatThrownBy(() -> edited(root -> obj(root, "termWeights", "withSoch").put("SOCH", "0.50")))
                .isInstanceOf(RulesException.class).hasMessageContaining("SOCH");
        // Weights that are all zero would make every such term vanish.
        assertThatThrownBy(() -> edited(root -> obj(root, "termWeights", "withoutSoch").put("FO", 0).put("SOR", 0)))
                .isInstanceOf(RulesException.class).hasMessageContaining("withoutSoch");
    }

    @Test
    void numbersMustBeNumbers() {
        // Jackson's asInt()/decimalValue() turn text into 0: an at-risk margin of 0 would silently switch AT_RISK off.
        assertThatThrownBy(() -> edited(root -> obj(root, "medals").put("atRiskBelowPercent", "eighty-eight")))
                .isInstanceOf(RulesException.class).hasMessageContaining("atRiskBelowPercent");
        assertThatThrownBy(() -> edited(root -> obj(root, "indicators").put("districtMinCell", "five")))
                .isInstanceOf(RulesException.class).hasMessageContaining("districtMinCell");
        assertThatThrownBy(() -> edited(root -> ((ObjectNode) root.get("markScale").get(0)).put("minPercent", "high")))
                .isInstanceOf(RulesException.class).hasMessageContaining("minPercent");
        assertThatThrownBy(() -> edited(root -> obj(root, "indicators", "souWeights").put("five", 100)))
                .isInstanceOf(RulesException.class).hasMessageContaining("souWeights");
        assertThatThrownBy(() -> edited(root -> obj(root, "medals", "honours9").putArray("grades")))
                .isInstanceOf(RulesException.class).hasMessageContaining("grades");
    }
}
