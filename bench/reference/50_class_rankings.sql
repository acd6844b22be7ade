-- Class rankings, docs/rules.md §5: per class, term (0 = year) and subject ('ALL' = across subjects), by
-- average mark, ties broken by the average total percentage; standard competition ranking; percentile =
-- 100 * (size - rank) / (size - 1), one decimal half-up (100 in a class of one).
-- Term rows: term marks and term totals. Year rows: annual marks and the mean of the year's term totals.
-- Averages are kept to 4 decimals (half-up), exactly as integers in ten-thousandths until the end.
DROP TABLE IF EXISTS ranking_input;
CREATE TABLE ranking_input AS
WITH tg AS (
  SELECT student_id, subject_code, academic_year, term, mark,
    CAST(total_pct * 10000 AS BIGINT) AS pct4
  FROM term_grades WHERE mark IS NOT NULL
),
-- per pupil, subject, term: the mark and the total
term_subject AS (
  SELECT student_id, academic_year, term, subject_code,
    CAST(mark AS BIGINT) * 10000 AS mark4, pct4
  FROM tg
),
term_all AS (
  SELECT student_id, academic_year, term, 'ALL' AS subject_code,
    idiv(2 * sum(mark) * 10000 + count(*), 2 * count(*)) AS mark4,
    CASE WHEN count(pct4) > 0 THEN idiv(2 * sum(pct4) + count(pct4), 2 * count(pct4)) END AS pct4
  FROM tg GROUP BY student_id, academic_year, term
),
year_pct AS (
  SELECT student_id, academic_year, subject_code, sum(pct4) AS s, count(pct4) AS n FROM tg
  GROUP BY student_id, academic_year, subject_code
),
year_subject AS (
  SELECT a.student_id, a.academic_year, 0 AS term, a.subject_code,
    CAST(a.mark AS BIGINT) * 10000 AS mark4,
    CASE WHEN y.n > 0 THEN idiv(2 * y.s + y.n, 2 * y.n) END AS pct4,
    -- the unrounded year percentage as sum / n in ten-thousandths; n is 1-4, so 12 * sum / n is an integer
    CASE WHEN y.n > 0 THEN idiv(12 * y.s, y.n) END AS pct12
  FROM annual_grades a
  LEFT JOIN year_pct y ON y.student_id = a.student_id AND y.academic_year = a.academic_year AND y.subject_code = a.subject_code
),
-- across subjects, the year's percentage is the mean of the subjects' (unrounded) year percentages, each subject
-- counted once: sum(12 * s_i / n_i) / (12 * k), rounded once at the end
year_all AS (
  SELECT student_id, academic_year, 0 AS term, 'ALL' AS subject_code,
    idiv(2 * sum(mark4) + count(*), 2 * count(*)) AS mark4,
    CASE WHEN count(pct12) > 0 THEN idiv(2 * sum(pct12) + 12 * count(pct12), 2 * 12 * count(pct12)) END AS pct4
  FROM year_subject
  GROUP BY student_id, academic_year
),
u AS (
  SELECT * FROM term_subject UNION ALL SELECT * FROM term_all
  UNION ALL SELECT student_id, academic_year, term, subject_code, mark4, pct4 FROM year_subject
  UNION ALL SELECT * FROM year_all
)
SELECT u.student_id, u.academic_year, u.term, u.subject_code, u.mark4, u.pct4,
  p.school_id, p.class_label, p.grade_level
FROM u JOIN placement p ON p.student_id = u.student_id AND p.academic_year = u.academic_year
WHERE p.class_label IS NOT NULL;

DROP TABLE IF EXISTS class_rankings;
CREATE TABLE class_rankings AS
WITH r AS (
  SELECT i.*,
    rank() OVER (PARTITION BY school_id, class_label, academic_year, term, subject_code
                 ORDER BY mark4 DESC, pct4 DESC NULLS LAST) AS rnk,
    count(*) OVER (PARTITION BY school_id, class_label, academic_year, term, subject_code) AS size,
    sum(mark4) OVER (PARTITION BY school_id, class_label, academic_year, term, subject_code) AS class_mark_sum,
    sum(pct4) OVER (PARTITION BY school_id, class_label, academic_year, term, subject_code) AS class_pct_sum,
    count(pct4) OVER (PARTITION BY school_id, class_label, academic_year, term, subject_code) AS class_pct_n
  FROM ranking_input i
)
SELECT student_id, academic_year, term, subject_code, school_id, class_label, grade_level,
  dec4(mark4) AS avg_mark, dec4(pct4) AS avg_pct,
  CAST(rnk AS INTEGER) AS rank, CAST(size AS INTEGER) AS class_size,
  CASE WHEN size = 1 THEN dec1(1000)
       ELSE dec1(idiv(2 * 1000 * (size - rnk) + (size - 1), 2 * (size - 1))) END AS percentile,
  dec4(idiv(2 * class_mark_sum + size, 2 * size)) AS class_avg_mark,
  CASE WHEN class_pct_n > 0 THEN dec4(idiv(2 * class_pct_sum + class_pct_n, 2 * class_pct_n)) END AS class_avg_pct
FROM r;
