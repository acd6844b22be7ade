-- Gaps (docs/rules.md §10) and medal statuses (docs/rules.md §4) for the pupils of the directory.
--   HONOURS_9   grade 9:      annual (= final) marks of 5 in every subject of grades 5-9
--   HONOURS_11  grades 10-11: annual (= final) marks of 5 in every subject of grades 10-11
--   ALTYN_BELGI grades 10-11: the grade 5-9 condition, and every term and annual mark of grades 10-11 is 5
-- Findings: LOST (a finished annual mark below 5; for the gold medal a term mark below 5; for the annual-only
-- awards, the finished term marks make an annual 5 impossible even with 5s in every open term), INCOMPLETE (a GAP
-- in the grades the award looks at), AT_RISK (the current term's running total gives a 5 but is below 88 %,
-- compared exactly; or, for an annual-only award, every open term must be a 5 to keep the annual 5).
-- The current term is the latest term with assessments in the year; its marks are running totals, not final.
-- The status is the first category with a finding, else ON_TRACK.

DROP TABLE IF EXISTS term_slots;
CREATE TABLE term_slots AS
SELECT s.subject_code, t.term
FROM subjects s CROSS JOIN (VALUES (1), (2), (3), (4)) AS t(term)
WHERE s.assessment = 'QUARTER' OR (s.assessment = 'HALF_YEAR' AND t.term IN (2, 4));

-- a term without a mark, before a term that has one (per pupil, subject and year)
DROP TABLE IF EXISTS gaps;
CREATE TABLE gaps AS
WITH last_term AS (
  SELECT student_id, subject_code, academic_year, max(term) AS last_term
  FROM term_grades WHERE mark IS NOT NULL GROUP BY student_id, subject_code, academic_year
)
SELECT l.student_id, l.subject_code, l.academic_year, s.term, CAST(NULL AS INTEGER) AS grade_level
FROM last_term l JOIN term_slots s ON s.subject_code = l.subject_code AND s.term < l.last_term
WHERE NOT EXISTS (SELECT 1 FROM term_grades g WHERE g.student_id = l.student_id AND g.subject_code = l.subject_code
                    AND g.academic_year = l.academic_year AND g.term = s.term AND g.mark IS NOT NULL)
UNION ALL
-- a year of the history (from grade 5 up to the current one) with no event at all
SELECT y.student_id, 'ALL', y.academic_year, 0, y.grade_level FROM (
  SELECT d.student_id, g.grade AS grade_level,
    CAST(CAST(substr(d.academic_year, 1, 4) AS INTEGER) - (d.grade_level - g.grade) AS VARCHAR) || '-'
      || CAST(CAST(substr(d.academic_year, 1, 4) AS INTEGER) - (d.grade_level - g.grade) + 1 AS VARCHAR) AS academic_year
  FROM directory d
  JOIN (VALUES (5), (6), (7), (8), (9), (10), (11)) AS g(grade) ON g.grade <= d.grade_level
) y
WHERE NOT EXISTS (SELECT 1 FROM grade_events e WHERE e.student_id = y.student_id AND e.academic_year = y.academic_year);

DROP TABLE IF EXISTS medal_candidates;
CREATE TABLE medal_candidates AS
SELECT d.student_id, d.academic_year, a.award, a.grade_from, a.grade_to, a.every_term,
  d.school_id, d.class_label, d.grade_level
FROM directory d
JOIN (VALUES ('HONOURS_9', 5, 9, 9, 9, 0), ('HONOURS_11', 10, 11, 10, 11, 0), ('ALTYN_BELGI', 5, 11, 10, 11, 1))
  AS a(award, grade_from, grade_to, eval_from, eval_to, every_term)
  ON d.grade_level BETWEEN a.eval_from AND a.eval_to;

DROP TABLE IF EXISTS medal_findings;
CREATE TABLE medal_findings AS
-- LOST: a finished (earlier year's) annual or final mark below 5 in the award's grades
SELECT c.student_id, c.award, 1 AS category, 'ANNUAL_BELOW_5' AS code, a.subject_code, a.academic_year, 0 AS term
FROM medal_candidates c
JOIN annual_grades a ON a.student_id = c.student_id AND a.academic_year <> c.academic_year
  AND a.grade_level BETWEEN c.grade_from AND c.grade_to
WHERE a.mark < 5 OR a.final_mark < 5
UNION ALL
-- LOST (gold medal): a term mark below 5 in grades 10-11 of the current year
SELECT c.student_id, c.award, 1, 'TERM_BELOW_5', t.subject_code, t.academic_year, t.term
FROM medal_candidates c
JOIN term_grades t ON t.student_id = c.student_id AND t.academic_year = c.academic_year
WHERE c.every_term = 1 AND t.mark < 5
UNION ALL
-- annual-only awards, current year, per subject. Policy: the current term's mark is a running total, not final, so it
-- is "open" like the terms still to come. best = finished marks + 5 for every open slot; LOST when even that rounds
-- below 5; AT_RISK ("every remaining term must be 5") when one point less on an open term would lose the 5.
SELECT student_id, award, CASE WHEN 2 * best < 9 * slots THEN 1 ELSE 3 END,
  CASE WHEN 2 * best < 9 * slots THEN 'ANNUAL_IMPOSSIBLE' ELSE 'EVERY_REMAINING_TERM_MUST_BE_5' END,
  subject_code, academic_year, 0
FROM (
  SELECT c.student_id, c.award, t.subject_code, t.academic_year, max(sl.slots) AS slots,
    sum(CASE WHEN t.term < cur.term THEN t.mark ELSE 0 END)
      + 5 * (max(sl.slots) - count(CASE WHEN t.term < cur.term THEN 1 END)) AS best,
    max(sl.slots) - count(CASE WHEN t.term < cur.term THEN 1 END) AS open_slots
  FROM medal_candidates c
  JOIN term_grades t ON t.student_id = c.student_id AND t.academic_year = c.academic_year AND t.mark IS NOT NULL
  JOIN (SELECT subject_code, count(*) AS slots FROM term_slots GROUP BY subject_code) sl ON sl.subject_code = t.subject_code
  JOIN (SELECT academic_year, max(term) AS term FROM term_computed GROUP BY academic_year) cur
    ON cur.academic_year = t.academic_year
  WHERE c.every_term = 0
  GROUP BY c.student_id, c.award, t.subject_code, t.academic_year
) b
WHERE 2 * best < 9 * slots OR (open_slots > 0 AND 2 * (best - 1) < 9 * slots)
UNION ALL
-- INCOMPLETE: a gap in the current year's terms, or a history year of the award's grades without marks
SELECT c.student_id, c.award, 2, 'GAP', g.subject_code, g.academic_year, g.term
FROM medal_candidates c
JOIN gaps g ON g.student_id = c.student_id
WHERE (g.term > 0 AND g.academic_year = c.academic_year)
   OR (g.term = 0 AND g.grade_level BETWEEN c.grade_from AND c.grade_to)
UNION ALL
-- AT_RISK: the current term's running total gives a 5 but is below 88 % (exact: num < 88 den)
SELECT c.student_id, c.award, 3, 'BELOW_MARGIN', t.subject_code, t.academic_year, t.term
FROM medal_candidates c
JOIN term_grades t ON t.student_id = c.student_id AND t.academic_year = c.academic_year
JOIN (SELECT academic_year, max(term) AS term FROM term_computed GROUP BY academic_year) cur
  ON cur.academic_year = t.academic_year AND cur.term = t.term
WHERE t.computed_mark = 5 AND t.total_num < 88 * t.total_den;

DROP TABLE IF EXISTS medal_eligibility;
CREATE TABLE medal_eligibility AS
WITH worst AS (
  SELECT student_id, award, min(category) AS category FROM medal_findings GROUP BY student_id, award
),
-- the findings of the deciding category, as text (joined, not a correlated subquery: PostgreSQL would run that
-- once per pupil)
reasons AS (
  SELECT f.student_id, f.award,
    string_agg(f.code || ' ' || f.subject_code || ' ' || f.academic_year
               || CASE WHEN f.term > 0 THEN ' term ' || CAST(f.term AS VARCHAR) ELSE '' END,
               '; ' ORDER BY f.subject_code, f.academic_year, f.term, f.code) AS reasons
  FROM medal_findings f
  JOIN worst w ON w.student_id = f.student_id AND w.award = f.award AND w.category = f.category
  GROUP BY f.student_id, f.award
)
SELECT c.student_id, c.academic_year, c.award,
  CASE w.category WHEN 1 THEN 'LOST' WHEN 2 THEN 'INCOMPLETE' WHEN 3 THEN 'AT_RISK' ELSE 'ON_TRACK' END AS status,
  r.reasons,
  c.school_id, c.class_label, c.grade_level
FROM medal_candidates c
LEFT JOIN worst w ON w.student_id = c.student_id AND w.award = c.award
LEFT JOIN reasons r ON r.student_id = c.student_id AND r.award = c.award;
