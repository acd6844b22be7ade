-- School and district indicators, docs/rules.md §6, by academic year, term (0 = year, from annual marks),
-- grade level (0 = all) and subject ('ALL' = each pupil once, by their lowest mark in the period).
--   success = (n5 + n4 + n3) / N * 100, quality = (n5 + n4) / N * 100,
--   SOU = (100 n5 + 64 n4 + 36 n3 + 16 n2) / N, average = (5 n5 + 4 n4 + 3 n3 + 2 n2) / N,
-- each rounded half-up to 2 decimals. District cells describing fewer than 5 pupils are suppressed.
DROP TABLE IF EXISTS indicator_marks;
CREATE TABLE indicator_marks AS
WITH m AS (
  SELECT student_id, academic_year, term, subject_code, mark, school_id, grade_level FROM term_grades WHERE mark IS NOT NULL
  UNION ALL
  SELECT student_id, academic_year, 0, subject_code, mark, school_id, grade_level FROM annual_grades WHERE mark IS NOT NULL
),
a AS (
  SELECT student_id, academic_year, term, 'ALL' AS subject_code, min(mark) AS mark,
    min(school_id) AS school_id, min(grade_level) AS grade_level
  FROM m GROUP BY student_id, academic_year, term
)
SELECT m.*, s.district_id FROM (SELECT * FROM m UNION ALL SELECT * FROM a) m
JOIN schools s ON s.school_id = m.school_id;

DROP TABLE IF EXISTS indicator_counts;
CREATE TABLE indicator_counts AS
WITH by_grade AS (
  SELECT 'S' AS lvl, school_id AS unit, academic_year, term, grade_level, subject_code,
    count(*) AS n, count(CASE WHEN mark = 5 THEN 1 END) AS n5, count(CASE WHEN mark = 4 THEN 1 END) AS n4,
    count(CASE WHEN mark = 3 THEN 1 END) AS n3, count(CASE WHEN mark = 2 THEN 1 END) AS n2
  FROM indicator_marks GROUP BY school_id, academic_year, term, grade_level, subject_code
  UNION ALL
  SELECT 'S', school_id, academic_year, term, 0, subject_code,
    count(*), count(CASE WHEN mark = 5 THEN 1 END), count(CASE WHEN mark = 4 THEN 1 END),
    count(CASE WHEN mark = 3 THEN 1 END), count(CASE WHEN mark = 2 THEN 1 END)
  FROM indicator_marks GROUP BY school_id, academic_year, term, subject_code
  UNION ALL
  SELECT 'D', district_id, academic_year, term, grade_level, subject_code,
    count(*), count(CASE WHEN mark = 5 THEN 1 END), count(CASE WHEN mark = 4 THEN 1 END),
    count(CASE WHEN mark = 3 THEN 1 END), count(CASE WHEN mark = 2 THEN 1 END)
  FROM indicator_marks GROUP BY district_id, academic_year, term, grade_level, subject_code
  UNION ALL
  SELECT 'D', district_id, academic_year, term, 0, subject_code,
    count(*), count(CASE WHEN mark = 5 THEN 1 END), count(CASE WHEN mark = 4 THEN 1 END),
    count(CASE WHEN mark = 3 THEN 1 END), count(CASE WHEN mark = 2 THEN 1 END)
  FROM indicator_marks GROUP BY district_id, academic_year, term, subject_code
)
SELECT lvl, unit, academic_year, term, grade_level, subject_code,
  CAST(n AS BIGINT) AS n, CAST(n5 AS BIGINT) AS n5, CAST(n4 AS BIGINT) AS n4, CAST(n3 AS BIGINT) AS n3, CAST(n2 AS BIGINT) AS n2,
  dec2(idiv(2 * 10000 * (n5 + n4 + n3) + n, 2 * n)) AS success_rate,
  dec2(idiv(2 * 10000 * (n5 + n4) + n, 2 * n)) AS quality_rate,
  dec2(idiv(2 * 100 * (100 * n5 + 64 * n4 + 36 * n3 + 16 * n2) + n, 2 * n)) AS sou,
  dec2(idiv(2 * 100 * (5 * n5 + 4 * n4 + 3 * n3 + 2 * n2) + n, 2 * n)) AS avg_mark
FROM by_grade;

DROP TABLE IF EXISTS school_indicators;
CREATE TABLE school_indicators AS
SELECT c.unit AS school_id, c.academic_year, c.term, c.grade_level, c.subject_code,
  c.n, c.n5, c.n4, c.n3, c.n2, c.success_rate, c.quality_rate, c.sou, c.avg_mark, s.district_id
FROM indicator_counts c JOIN schools s ON s.school_id = c.unit
WHERE c.lvl = 'S';

DROP TABLE IF EXISTS district_indicators;
CREATE TABLE district_indicators AS
SELECT unit AS district_id, academic_year, term, grade_level, subject_code,
  CASE WHEN n >= 5 THEN n END AS n, CASE WHEN n >= 5 THEN n5 END AS n5, CASE WHEN n >= 5 THEN n4 END AS n4,
  CASE WHEN n >= 5 THEN n3 END AS n3, CASE WHEN n >= 5 THEN n2 END AS n2,
  CASE WHEN n >= 5 THEN success_rate END AS success_rate, CASE WHEN n >= 5 THEN quality_rate END AS quality_rate,
  CASE WHEN n >= 5 THEN sou END AS sou, CASE WHEN n >= 5 THEN avg_mark END AS avg_mark,
  n < 5 AS suppressed
FROM indicator_counts WHERE lvl = 'D';
