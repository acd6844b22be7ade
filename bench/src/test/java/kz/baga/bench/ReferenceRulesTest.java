package kz.baga.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference itself against the worked example of docs/rules.md §2 and its threshold policies, on a hand-made input. */
class ReferenceRulesTest {

    @TempDir
    Path dir;

    @Test
    void termMarksFollowDomainMd() throws Exception {
        String iin = validIin("0903155", "0001"); // born 2009-03-15, male
        String iin2 = validIin("0903156", "0002");
        write("schools.csv", "school_id,name_kk,name_ru,district_id,district_name_kk,district_name_ru\nS1,a,b,D1,c,d\n");
        write("subjects.csv", "subject_code,name_kk,name_ru,name_en,assessment\nMATH,a,b,c,QUARTER\nMUS,a,b,c,HALF_YEAR\n");
        write("students.csv", "iin,last_name,first_name,middle_name,birth_date,sex,school_id,class_label,grade_level,academic_year\n"
                + iin + ",X,Y,Z,2009-03-15,M,S1,11А,11,2025-2026\n" + iin2 + ",X,Y,Z,2009-03-15,F,S1,11А,11,2025-2026\n");
        List<String> ev = new ArrayList<>();
        ev.add("source,event_id,academic_year,iin,school_id,class_label,grade_level,subject_code,term,kind,score,max_score,event_date,recorded_at");
        int[] id = {0};
        java.util.function.BiConsumer<String, String> add = (who, rest) ->
                ev.add("t,e" + (++id[0]) + ",2025-2026," + who + ",S1,11А,11," + rest);
        // docs/rules.md §2 example: FO 8x5 (80 %), SOR 12/15 + 9/15 (70 %), SOCH 18/25 (72 %) -> 73.5 -> 74 -> 4
        for (int i = 0; i < 5; i++) {
            add.accept(iin, "MATH,1,FO,8,10,2025-10-0" + (i + 1) + ",2025-10-0" + (i + 1) + " 10:00:00");
        }
        add.accept(iin, "MATH,1,SOR,12,15,2025-10-10,2025-10-10 10:00:00");
        add.accept(iin, "MATH,1,SOR,9,15,2025-10-11,2025-10-11 10:00:00");
        add.accept(iin, "MATH,1,SOCH,18,25,2025-10-20,2025-10-20 10:00:00");
        // 84.5 -> 85 -> 5: FO 9 (90 %), SOR 15.8/20 (79 %), no SOCH: 0.5*90 + 0.5*79 = 84.5
        add.accept(iin, "MATH,2,FO,9,10,2025-11-10,2025-11-10 10:00:00");
        add.accept(iin, "MATH,2,SOR,15.8,20,2025-11-11,2025-11-11 10:00:00");
        // 84.475 -> 84 -> 4: FO 9 (90 %), SOR 15.79/20 (78.95 %): 0.5*90 + 0.5*78.95
        add.accept(iin2, "MATH,2,FO,9,10,2025-11-10,2025-11-10 10:00:00");
        add.accept(iin2, "MATH,2,SOR,15.79,20,2025-11-11,2025-11-11 10:00:00");
        // a corrected event: same id recorded later wins
        ev.add("t,dup,2025-2026," + iin2 + ",S1,11А,11,MATH,1,FO,2,10,2025-10-01,2025-10-01 10:00:00");
        ev.add("t,dup,2025-2026," + iin2 + ",S1,11А,11,MATH,1,FO,10,10,2025-10-01,2025-10-02 10:00:00");
        // half-year subject in term 3 -> BAD_TERM; imported TERM mark stands over the computed one
        add.accept(iin, "MUS,3,FO,9,10,2026-02-01,2026-02-01 10:00:00");
        add.accept(iin, "MUS,2,FO,5,10,2025-12-01,2025-12-01 10:00:00");
        add.accept(iin, "MUS,2,TERM,5,5,2025-12-20,2025-12-20 10:00:00");
        // bad rows
        add.accept("1234567890AB", "MATH,1,FO,8,10,2025-10-01,2025-10-01 10:00:00");
        add.accept(iin, "MATH,1,FO,11,10,2025-10-01,2025-10-01 10:00:00");
        add.accept(iin, "MATH,1,FO,8,10,2026-09-01,2026-09-01 10:00:00");
        ev.add("t,short,2025-2026," + iin + ",S1,11А,11,MATH,1,FO,8,10,2025-10-01");
        Files.createDirectories(dir.resolve("input/events"));
        Files.write(dir.resolve("input/events/t.csv"), ev, StandardCharsets.UTF_8);
        Path input = dir.resolve("input");

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            new Reference(c, Dialect.DUCKDB, input, dir, new StudentIdKey("k")).run();
            String sid = new StudentIdKey("k").of(iin);
            String sid2 = new StudentIdKey("k").of(iin2);
            assertThat(row(c, "SELECT total_pct, rounded_pct, mark FROM term_grades WHERE student_id = '" + sid
                    + "' AND subject_code = 'MATH' AND term = 1")).isEqualTo("73.5000|74|4");
            assertThat(row(c, "SELECT total_pct, rounded_pct, mark FROM term_grades WHERE student_id = '" + sid
                    + "' AND subject_code = 'MATH' AND term = 2")).isEqualTo("84.5000|85|5");
            assertThat(row(c, "SELECT total_pct, rounded_pct, mark FROM term_grades WHERE student_id = '" + sid2
                    + "' AND subject_code = 'MATH' AND term = 2")).isEqualTo("84.4750|84|4");
            assertThat(row(c, "SELECT fo_pct FROM term_grades WHERE student_id = '" + sid2
                    + "' AND subject_code = 'MATH' AND term = 1")).isEqualTo("100.0000");
            assertThat(row(c, "SELECT mark, mark_source, computed_mark FROM term_grades WHERE student_id = '" + sid
                    + "' AND subject_code = 'MUS' AND term = 2")).isEqualTo("5|IMPORTED|3");
            assertThat(row(c, "SELECT string_agg(reason, ',' ORDER BY line) FROM rejected_events"))
                    .isEqualTo("BAD_TERM,BAD_IIN,SCORE_OUT_OF_RANGE,DATE_OUTSIDE_YEAR,BAD_COLUMN_COUNT");
            assertThat(row(c, "SELECT sum(merged) FROM merged_events")).isEqualTo("1");
        }
    }

    /** An IIN with the given first 7 digits and serial whose check digit works (docs/rules.md §7). */
    static String validIin(String first7, String serial) {
        String s = first7 + serial;
        int c = 0;
        for (int i = 0; i < 11; i++) {
            c += (s.charAt(i) - '0') * (i + 1);
        }
        c %= 11;
        if (c == 10) {
            int[] w = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
            c = 0;
            for (int i = 0; i < 11; i++) {
                c += (s.charAt(i) - '0') * w[i];
            }
            c %= 11;
        }
        if (c == 10) {
            return validIin(first7, String.format("%04d", Integer.parseInt(serial) + 1));
        }
        return s + c;
    }

    private void write(String name, String text) throws Exception {
        Files.createDirectories(dir.resolve("input"));
        Files.writeString(dir.resolve("input").resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String row(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                sb.append(i > 1 ? "|" : "").append(rs.getString(i));
            }
            return sb.toString();
        }
    }
}
