-- Annual and final marks, docs/rules.md §3: the annual mark is the mean of the year's term marks (the marks
-- that stand) rounded half-up, floor((2 * sum + n) / (2 * n)); an imported YEAR mark (previous platform) stands
-- when present, the computed one beside; the exam mark (latest EXAM) is reported beside; final = annual.
DROP TABLE IF EXISTS annual_grades;
CREATE TABLE annual_grades AS
WITH t AS (
  SELECT student_id, subject_code, academic_year, count(*) AS n, sum(mark) AS s
  FROM term_grades WHERE mark IS NOT NULL
  GROUP BY student_id, subject_code, academic_year
),
y AS (
  SELECT student_id, subject_code, academic_year, kind, CAST(score AS INTEGER) AS mark,
    row_number() OVER (PARTITION BY student_id, subject_code, academic_year, kind
                       ORDER BY recorded_at DESC NULLS LAST, event_date DESC, source DESC, event_id DESC) AS rn
  FROM grade_events WHERE kind IN ('YEAR', 'EXAM')
),
k AS (
  SELECT student_id, subject_code, academic_year FROM t
  UNION
  SELECT student_id, subject_code, academic_year FROM y WHERE kind = 'YEAR'
),
j AS (
  SELECT k.student_id, k.subject_code, k.academic_year,
    CAST(idiv(2 * t.s + t.n, 2 * t.n) AS INTEGER) AS computed_mark,
    CAST(t.n AS INTEGER) AS term_count,
    yr.mark AS year_mark, ex.mark AS exam_mark
  FROM k
  LEFT JOIN t ON t.student_id = k.student_id AND t.subject_code = k.subject_code AND t.academic_year = k.academic_year
  LEFT JOIN y yr ON yr.rn = 1 AND yr.kind = 'YEAR' AND yr.student_id = k.student_id
    AND yr.subject_code = k.subject_code AND yr.academic_year = k.academic_year
  LEFT JOIN y ex ON ex.rn = 1 AND ex.kind = 'EXAM' AND ex.student_id = k.student_id
    AND ex.subject_code = k.subject_code AND ex.academic_year = k.academic_year
)
SELECT j.student_id, j.subject_code, j.academic_year,
  COALESCE(j.year_mark, j.computed_mark) AS mark,
  j.exam_mark,
  COALESCE(j.year_mark, j.computed_mark) AS final_mark,
  CASE WHEN j.year_mark IS NOT NULL THEN 'IMPORTED' ELSE 'COMPUTED' END AS mark_source,
  j.computed_mark, j.term_count,
  p.school_id, p.class_label, p.grade_level
FROM j
LEFT JOIN placement p ON p.student_id = j.student_id AND p.academic_year = j.academic_year;
-- @analyze annual_grades
