-- Where a pupil studied in each academic year: the pupil directory for its own year; for other years the
-- pupil's latest event that names a class (else the latest event, with no class).
DROP TABLE IF EXISTS placement;
CREATE TABLE placement AS
WITH ev AS (
  SELECT student_id, academic_year, school_id, class_label, grade_level,
    row_number() OVER (PARTITION BY student_id, academic_year
                       ORDER BY CASE WHEN class_label IS NULL THEN 1 ELSE 0 END, event_date DESC,
                                recorded_at DESC NULLS LAST, source DESC, event_id DESC) AS rn
  FROM grade_events g
  WHERE NOT EXISTS (SELECT 1 FROM directory d WHERE d.student_id = g.student_id AND d.academic_year = g.academic_year)
)
SELECT student_id, academic_year, school_id, class_label, grade_level FROM directory
UNION ALL
SELECT ev.student_id, ev.academic_year, ev.school_id, ev.class_label, ev.grade_level
FROM ev
WHERE ev.rn = 1;

DROP TABLE IF EXISTS current_year;
CREATE TABLE current_year AS SELECT max(academic_year) AS academic_year FROM directory;
