-- Term marks, docs/rules.md §2, in exact integer arithmetic.
--   FO%   = sum(FO) / (10 * count(FO)) * 100
--   SOR%  = sum(SOR points) / sum(SOR maxima) * 100           (pooled)
--   SOCH% = sum(SOCH points) / sum(SOCH maxima) * 100
--   total = 25 % FO + 25 % SOR + 50 % SOCH with a SOCH, else 50 % FO + 50 % SOR; a missing component's weight
--           is shared out over the present ones (weights renormalised).
-- Every score has at most 2 decimals: n_c, d_c are integers in hundredths of a point, and
--   total = num / den,  num = 100 * sum_c w_c n_c prod_{k<>c} d_k,  den = (sum_c w_c) prod_k d_k
-- The scale applies to the total rounded half-up to a whole percent: floor((2 num + den) / (2 den)).
-- 0-39 -> 2, 40-64 -> 3, 65-84 -> 4, 85-100 -> 5. Imported TERM marks stand (latest recorded), computed beside.

DROP TABLE IF EXISTS term_components;
CREATE TABLE term_components AS
SELECT student_id, subject_code, academic_year, term,
  CAST(COALESCE(sum(CASE WHEN kind = 'FO' THEN CAST(score * 100 AS BIGINT) END), 0) AS bigint128) AS fo_n,
  CAST(1000 * count(CASE WHEN kind = 'FO' THEN 1 END) AS bigint128) AS fo_d,
  count(CASE WHEN kind = 'FO' THEN 1 END) AS fo_count,
  CAST(COALESCE(sum(CASE WHEN kind = 'SOR' THEN CAST(score * 100 AS BIGINT) END), 0) AS bigint128) AS sor_n,
  CAST(COALESCE(sum(CASE WHEN kind = 'SOR' THEN CAST(max_score * 100 AS BIGINT) END), 0) AS bigint128) AS sor_d,
  count(CASE WHEN kind = 'SOR' THEN 1 END) AS sor_count,
  CAST(COALESCE(sum(CASE WHEN kind = 'SOCH' THEN CAST(score * 100 AS BIGINT) END), 0) AS bigint128) AS soch_n,
  CAST(COALESCE(sum(CASE WHEN kind = 'SOCH' THEN CAST(max_score * 100 AS BIGINT) END), 0) AS bigint128) AS soch_d,
  count(CASE WHEN kind = 'SOCH' THEN 1 END) AS soch_count
FROM grade_events
WHERE kind IN ('FO', 'SOR', 'SOCH')
GROUP BY student_id, subject_code, academic_year, term;

DROP TABLE IF EXISTS term_computed;
CREATE TABLE term_computed AS
WITH w AS (
  SELECT c.*,
    -- weights in percent; zero when the component is absent; an absent component's denominator is 1
    CASE WHEN fo_count = 0 THEN 0 WHEN soch_count > 0 THEN 25 ELSE 50 END AS w_fo,
    CASE WHEN sor_count = 0 THEN 0 WHEN soch_count > 0 THEN 25 ELSE 50 END AS w_sor,
    CASE WHEN soch_count = 0 THEN 0 ELSE 50 END AS w_soch,
    CASE WHEN fo_count = 0 THEN CAST(1 AS bigint128) ELSE fo_d END AS dfo,
    CASE WHEN sor_count = 0 THEN CAST(1 AS bigint128) ELSE sor_d END AS dsor,
    CASE WHEN soch_count = 0 THEN CAST(1 AS bigint128) ELSE soch_d END AS dsoch
  FROM term_components c
),
f AS (
  SELECT w.*,
    100 * (w_fo * fo_n * dsor * dsoch + w_sor * sor_n * dfo * dsoch + w_soch * soch_n * dfo * dsor) AS num,
    (w_fo + w_sor + w_soch) * dfo * dsor * dsoch AS den
  FROM w
)
SELECT student_id, subject_code, academic_year, term,
  CASE WHEN fo_count > 0 THEN dec4(idiv(2 * fo_n * 1000000 + fo_d, 2 * fo_d)) END AS fo_pct,
  CASE WHEN sor_count > 0 THEN dec4(idiv(2 * sor_n * 1000000 + sor_d, 2 * sor_d)) END AS sor_pct,
  CASE WHEN soch_count > 0 THEN dec4(idiv(2 * soch_n * 1000000 + soch_d, 2 * soch_d)) END AS soch_pct,
  dec4(idiv(2 * num * 10000 + den, 2 * den)) AS total_pct,
  CAST(idiv(2 * num + den, 2 * den) AS INTEGER) AS rounded_pct,
  num AS total_num, den AS total_den,
  fo_count, sor_count, soch_count
FROM f;

DROP TABLE IF EXISTS term_certified;
CREATE TABLE term_certified AS
SELECT student_id, subject_code, academic_year, term, mark FROM (
  SELECT student_id, subject_code, academic_year, term, CAST(score AS INTEGER) AS mark,
    row_number() OVER (PARTITION BY student_id, subject_code, academic_year, term
                       ORDER BY recorded_at DESC NULLS LAST, event_date DESC, source DESC, event_id DESC) AS rn
  FROM grade_events WHERE kind = 'TERM'
) t WHERE rn = 1;

DROP TABLE IF EXISTS term_grades;
CREATE TABLE term_grades AS
WITH k AS (
  SELECT student_id, subject_code, academic_year, term FROM term_computed
  UNION
  SELECT student_id, subject_code, academic_year, term FROM term_certified
),
j AS (
  SELECT k.student_id, k.subject_code, k.academic_year, k.term,
    c.fo_pct, c.sor_pct, c.soch_pct, c.total_pct, c.rounded_pct, c.total_num, c.total_den,
    CASE WHEN c.rounded_pct IS NULL THEN NULL
         WHEN c.rounded_pct >= 85 THEN 5 WHEN c.rounded_pct >= 65 THEN 4 WHEN c.rounded_pct >= 40 THEN 3 ELSE 2 END
      AS computed_mark,
    t.mark AS certified_mark,
    c.fo_count, c.sor_count, c.soch_count
  FROM k
  LEFT JOIN term_computed c ON c.student_id = k.student_id AND c.subject_code = k.subject_code
    AND c.academic_year = k.academic_year AND c.term = k.term
  LEFT JOIN term_certified t ON t.student_id = k.student_id AND t.subject_code = k.subject_code
    AND t.academic_year = k.academic_year AND t.term = k.term
)
SELECT j.student_id, j.subject_code, j.academic_year, j.term,
  j.fo_pct, j.sor_pct, j.soch_pct, j.total_pct,
  COALESCE(j.certified_mark, j.computed_mark) AS mark,
  CASE WHEN j.certified_mark IS NOT NULL THEN 'IMPORTED' ELSE 'COMPUTED' END AS mark_source,
  j.computed_mark, j.rounded_pct, j.total_num, j.total_den,
  j.fo_count, j.sor_count, j.soch_count,
  p.school_id, p.class_label, p.grade_level
FROM j
LEFT JOIN placement p ON p.student_id = j.student_id AND p.academic_year = j.academic_year;
-- @analyze term_grades
