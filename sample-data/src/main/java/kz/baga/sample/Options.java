package kz.baga.sample;

import java.nio.file.Path;

/**
 * What to generate.
 *
 * @param out             the output folder
 * @param schools         number of schools
 * @param seed            random seed: the same options give the same bytes
 * @param firstYear       the first calendar year of the current academic year (2025 for 2025-2026)
 * @param classesPerGrade classes per grade level and school
 * @param grades          grade levels, ascending and distinct, within 1–11
 * @param pupilsMin       smallest class size
 * @param pupilsMax       largest class size
 * @param badRate         share of canonical events followed by a bad row
 */
record Options(Path out, int schools, long seed, int firstYear, int classesPerGrade, int[] grades,
               int pupilsMin, int pupilsMax, double badRate) {

    String academicYear() {
        return yearLabel(firstYear);
    }

    static String yearLabel(int firstYear) {
        return firstYear + "-" + (firstYear + 1);
    }
}
