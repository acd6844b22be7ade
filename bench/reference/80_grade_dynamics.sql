-- Grade dynamics: per pupil, subject and calendar month, the mean percentage of the pupil's FO/SOR/SOCH works
-- that month (each work score / max * 100), and the class's mean of its pupils' means (class of the year's
-- placement). Not a threshold quantity: computed in floating point, rounded to 4 decimals. `sources`: the distinct
-- sources of the pupil's works that month, sorted, comma-separated (where the history came from).
DROP TABLE IF EXISTS grade_dynamics;
CREATE TABLE grade_dynamics AS
WITH w AS (
  SELECT e.student_id, e.subject_code, e.academic_year, month_start(e.event_date) AS period_start, e.source,
    CAST(e.score AS DOUBLE PRECISION) * 100 / CAST(e.max_score AS DOUBLE PRECISION) AS pct
  FROM grade_events e WHERE e.kind IN ('FO', 'SOR', 'SOCH')
),
p AS (
  SELECT student_id, subject_code, academic_year, period_start, avg(pct) AS avg_pct, count(*) AS events,
    string_agg(DISTINCT source, ',' ORDER BY source) AS sources
  FROM w GROUP BY student_id, subject_code, academic_year, period_start
),
c AS (
  SELECT p.*, pl.school_id, pl.class_label
  FROM p LEFT JOIN placement pl ON pl.student_id = p.student_id AND pl.academic_year = p.academic_year
)
SELECT student_id, subject_code, academic_year, period_start,
  CAST(avg_pct AS DECIMAL(9,4)) AS avg_pct,
  CAST(avg(avg_pct) OVER (PARTITION BY school_id, class_label, subject_code, academic_year, period_start) AS DECIMAL(9,4)) AS class_avg_pct,
  CAST(events AS INTEGER) AS events, school_id, class_label, sources
FROM c;
