-- Validation and de-duplication of grade events (docs/pipeline.md "Input layout", "Validation"; reason codes as the pipeline
-- publishes them). Input: raw_events (one row per non-blank data line, canonical columns as text, built by the
-- loader from events/*.csv and sources/*/manifest.json), schools, subjects, students (reference files as text).
-- Output: rejected_events, grade_events (accepted, latest version of each (source, event_id)), merged_events.
-- Rules constants (docs/rules.md, rules KZ-2025-2026): marked grades 2-11, FO 1-10 out of 10, certified marks 2-5
-- out of 5, academic year 1 September - 31 August.

DROP TABLE IF EXISTS directory;
CREATE TABLE directory AS
SELECT s.iin, i.student_id, s.school_id, s.class_label, try_int(s.grade_level) AS grade_level, s.academic_year
FROM students s JOIN student_ids i ON i.iin = s.iin;

-- docs/rules.md §7, on the distinct IINs only.
DROP TABLE IF EXISTS iin_check;
CREATE TABLE iin_check AS
WITH ids AS (SELECT DISTINCT iin FROM raw_events WHERE iin IS NOT NULL),
d AS (
  SELECT iin, re_full(iin, '[0-9]{12}') AS digits FROM ids
),
s AS (
  SELECT iin, digits,
    CASE WHEN digits THEN
      (  1 * CAST(substr(iin, 1, 1) AS INTEGER) +  2 * CAST(substr(iin, 2, 1) AS INTEGER)
       + 3 * CAST(substr(iin, 3, 1) AS INTEGER) +  4 * CAST(substr(iin, 4, 1) AS INTEGER)
       + 5 * CAST(substr(iin, 5, 1) AS INTEGER) +  6 * CAST(substr(iin, 6, 1) AS INTEGER)
       + 7 * CAST(substr(iin, 7, 1) AS INTEGER) +  8 * CAST(substr(iin, 8, 1) AS INTEGER)
       + 9 * CAST(substr(iin, 9, 1) AS INTEGER) + 10 * CAST(substr(iin, 10, 1) AS INTEGER)
       + 11 * CAST(substr(iin, 11, 1) AS INTEGER)) % 11 END AS c1,
    CASE WHEN digits THEN
      (  3 * CAST(substr(iin, 1, 1) AS INTEGER) +  4 * CAST(substr(iin, 2, 1) AS INTEGER)
       + 5 * CAST(substr(iin, 3, 1) AS INTEGER) +  6 * CAST(substr(iin, 4, 1) AS INTEGER)
       + 7 * CAST(substr(iin, 5, 1) AS INTEGER) +  8 * CAST(substr(iin, 6, 1) AS INTEGER)
       + 9 * CAST(substr(iin, 7, 1) AS INTEGER) + 10 * CAST(substr(iin, 8, 1) AS INTEGER)
       + 11 * CAST(substr(iin, 9, 1) AS INTEGER) +  1 * CAST(substr(iin, 10, 1) AS INTEGER)
       + 2 * CAST(substr(iin, 11, 1) AS INTEGER)) % 11 END AS c2,
    CASE WHEN digits THEN CAST(substr(iin, 7, 1) AS INTEGER) END AS century,
    CASE WHEN digits THEN CAST(substr(iin, 12, 1) AS INTEGER) END AS d12
  FROM d
)
SELECT iin,
  CASE
    WHEN NOT digits THEN 'IIN is not 12 digits'
    WHEN century NOT BETWEEN 1 AND 6 THEN 'IIN century digit is not 1-6'
    WHEN try_iso_date(CAST(1800 + 100 * idiv(century - 1, 2) + CAST(substr(iin, 1, 2) AS INTEGER) AS VARCHAR)
                      || '-' || substr(iin, 3, 2) || '-' || substr(iin, 5, 2)) IS NULL THEN 'IIN birth date is not a real date'
    WHEN (CASE WHEN c1 < 10 THEN c1 WHEN c2 < 10 THEN c2 END) IS NULL THEN 'IIN has no valid check digit'
    WHEN (CASE WHEN c1 < 10 THEN c1 ELSE c2 END) <> d12 THEN 'IIN check digit does not match'
  END AS problem
FROM s;

DROP TABLE IF EXISTS ev_checked;
CREATE TABLE ev_checked AS
WITH e AS (
  SELECT r.*,
    try_int(r.term) AS term_i,
    try_dec(r.score) AS score_d,
    try_dec(r.max_score) AS max_d,
    try_int(r.grade_level) AS grade_i,
    sc.school_id AS known_school,
    sj.assessment,
    sj.subject_code AS known_subject,
    dir.student_id,
    dir.school_id AS dir_school, dir.class_label AS dir_class, dir.grade_level AS dir_grade, dir.academic_year AS dir_year,
    ic.problem AS iin_problem
  FROM raw_events r
  LEFT JOIN iin_check ic ON ic.iin = r.iin
  LEFT JOIN schools sc ON sc.school_id = r.school_id
  LEFT JOIN subjects sj ON sj.subject_code = r.subject_code
  LEFT JOIN directory dir ON dir.iin = r.iin
)
SELECT e.*,
  CASE
    WHEN field_count <> expected_fields THEN 'BAD_COLUMN_COUNT'
    WHEN source IS NULL OR event_id IS NULL OR academic_year IS NULL OR iin IS NULL OR school_id IS NULL
      OR subject_code IS NULL OR term IS NULL OR kind IS NULL OR score IS NULL OR max_score IS NULL
      OR event_date_raw IS NULL THEN 'MISSING_FIELD'
    WHEN iin_problem IS NOT NULL THEN 'BAD_IIN'
    WHEN NOT re_full(academic_year, '[0-9]{4}-[0-9]{4}')
      OR CAST(substr(academic_year, 6, 4) AS INTEGER) <> CAST(substr(academic_year, 1, 4) AS INTEGER) + 1 THEN 'BAD_YEAR'
    WHEN kind NOT IN ('FO', 'SOR', 'SOCH', 'TERM', 'YEAR', 'EXAM') THEN 'BAD_KIND'
    WHEN term_i IS NULL OR term_i NOT BETWEEN 1 AND 4
      OR (assessment = 'HALF_YEAR' AND term_i NOT IN (2, 4)) THEN 'BAD_TERM'
    WHEN score_d IS NULL OR max_d IS NULL OR (grade_level IS NOT NULL AND grade_i IS NULL) THEN 'BAD_NUMBER'
    WHEN event_date IS NULL OR (recorded_at_raw IS NOT NULL AND recorded_at IS NULL) THEN 'BAD_DATE'
    WHEN known_school IS NULL THEN 'UNKNOWN_SCHOOL'
    WHEN known_subject IS NULL THEN 'UNKNOWN_SUBJECT'
    WHEN student_id IS NULL THEN 'UNKNOWN_PUPIL'
    WHEN COALESCE(grade_i, dir_grade) IS NULL OR COALESCE(grade_i, dir_grade) NOT BETWEEN 2 AND 11 THEN 'GRADE_NOT_MARKED'
    WHEN max_d <= 0 OR (kind = 'FO' AND max_d <> 10) OR (kind IN ('TERM', 'YEAR', 'EXAM') AND max_d <> 5) THEN 'BAD_MAX_SCORE'
    WHEN score_d < 0 OR score_d > max_d OR (kind = 'FO' AND score_d NOT BETWEEN 1 AND 10)
      OR (kind IN ('TERM', 'YEAR', 'EXAM') AND (score_d NOT BETWEEN 2 AND 5 OR score_d <> CAST(CAST(score_d AS INTEGER) AS DECIMAL(9,2)))) THEN 'SCORE_OUT_OF_RANGE'
    WHEN event_date < make_date(CAST(substr(academic_year, 1, 4) AS INTEGER), 9, 1)
      OR event_date > make_date(CAST(substr(academic_year, 6, 4) AS INTEGER), 8, 31) THEN 'DATE_OUTSIDE_YEAR'
  END AS reason
FROM e;
DROP TABLE raw_events;

-- rows read and rejected per source (the run's counts: read = accepted + rejected + merged)
DROP TABLE IF EXISTS source_counts;
CREATE TABLE source_counts AS
SELECT source, count(*) AS read_rows, count(reason) AS rejected_rows FROM ev_checked GROUP BY source;

DROP TABLE IF EXISTS rejected_events;
CREATE TABLE rejected_events AS
SELECT source, file, line, reason, raw, school_id
FROM ev_checked WHERE reason IS NOT NULL;

-- Same (source, event_id) delivered more than once: the latest recorded_at wins (then the later line).
DROP TABLE IF EXISTS ev_ranked;
CREATE TABLE ev_ranked AS
SELECT source, event_id, student_id, subject_code, academic_year, term_i, kind, score_d, max_d, event_date,
  recorded_at, school_id, class_label, grade_i, dir_class, dir_grade, dir_year, file, line,
  row_number() OVER (PARTITION BY source, event_id
                     ORDER BY recorded_at DESC NULLS LAST, file DESC, line DESC) AS version_rank,
  count(*) OVER (PARTITION BY source, event_id) AS copies
FROM ev_checked WHERE reason IS NULL;
DROP TABLE ev_checked;

DROP TABLE IF EXISTS merged_events;
CREATE TABLE merged_events AS
SELECT source, event_id, copies - 1 AS merged FROM ev_ranked WHERE version_rank = 1 AND copies > 1;

DROP TABLE IF EXISTS grade_events;
CREATE TABLE grade_events AS
SELECT student_id, subject_code, academic_year, term_i AS term, kind,
  score_d AS score, max_d AS max_score, event_date, recorded_at, source, event_id,
  school_id,
  COALESCE(class_label, CASE WHEN academic_year = dir_year THEN dir_class END) AS class_label,
  COALESCE(grade_i, dir_grade) AS grade_level,
  file, line
FROM ev_ranked WHERE version_rank = 1;
DROP TABLE ev_ranked;
-- @analyze grade_events
