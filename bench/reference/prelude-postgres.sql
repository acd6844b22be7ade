-- Helpers the reference SQL uses, PostgreSQL flavour (see prelude-duckdb.sql).
CREATE DOMAIN bigint128 AS numeric;
CREATE FUNCTION idiv(a numeric, b numeric) RETURNS numeric IMMUTABLE PARALLEL SAFE LANGUAGE sql AS 'SELECT div(a, b)';
CREATE FUNCTION try_int(s text) RETURNS integer IMMUTABLE PARALLEL SAFE LANGUAGE sql
  AS $$ SELECT CASE WHEN s ~ '^\s*[-+]?[0-9]{1,9}\s*$' THEN s::integer END $$;
CREATE FUNCTION try_dec(s text) RETURNS numeric(9,2) IMMUTABLE PARALLEL SAFE LANGUAGE sql
  AS $$ SELECT CASE WHEN s ~ '^-?[0-9]{1,7}(\.[0-9]{1,2})?$' THEN s::numeric(9,2) END $$;
-- Dates without exception blocks (those cannot run in parallel plans): the text must match the pattern and the
-- day must exist in its month; nested CASEs fix the evaluation order.
CREATE FUNCTION try_iso_date(s text) RETURNS date IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN s ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' THEN
    CASE WHEN split_part(s, '-', 1)::int >= 1 AND split_part(s, '-', 2)::int BETWEEN 1 AND 12 THEN
      CASE WHEN split_part(s, '-', 3)::int BETWEEN 1 AND extract(day FROM (make_date(split_part(s, '-', 1)::int,
                  split_part(s, '-', 2)::int, 1) + interval '1 month' - interval '1 day'))::int
        THEN make_date(split_part(s, '-', 1)::int, split_part(s, '-', 2)::int, split_part(s, '-', 3)::int) END
    END
  END $$;
CREATE FUNCTION try_iso_ts(s text) RETURNS timestamp IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN s ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}$' THEN
    CASE WHEN split_part(split_part(s, ' ', 2), ':', 1)::int <= 23 AND split_part(split_part(s, ' ', 2), ':', 2)::int <= 59
          AND split_part(split_part(s, ' ', 2), ':', 3)::int <= 59
      THEN try_iso_date(split_part(s, ' ', 1)) + split_part(s, ' ', 2)::time END
  END $$;
CREATE FUNCTION re_full(s text, p text) RETURNS boolean IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$ SELECT s ~ ('^(?:' || p || ')$') $$;
CREATE FUNCTION dec4(i numeric) RETURNS numeric(9,4) IMMUTABLE PARALLEL SAFE LANGUAGE sql AS 'SELECT (i / 10000)::numeric(9,4)';
CREATE FUNCTION dec2(i numeric) RETURNS numeric(7,2) IMMUTABLE PARALLEL SAFE LANGUAGE sql AS 'SELECT (i / 100)::numeric(7,2)';
CREATE FUNCTION dec1(i numeric) RETURNS numeric(5,1) IMMUTABLE PARALLEL SAFE LANGUAGE sql AS 'SELECT (i / 10)::numeric(5,1)';
CREATE FUNCTION month_start(d date) RETURNS date IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$ SELECT date_trunc('month', d)::date $$;
