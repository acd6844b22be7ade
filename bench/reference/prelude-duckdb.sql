-- Helpers the reference SQL uses, DuckDB flavour (prelude-postgres.sql defines the same names for PostgreSQL).
-- The reference files use only these helpers and SQL that both engines read the same way.
CREATE TYPE bigint128 AS HUGEINT;
CREATE MACRO idiv(a, b) AS (a // b);                                  -- integer floor division (operands >= 0)
CREATE MACRO try_int(s) AS TRY_CAST(s AS INTEGER);
CREATE MACRO try_dec(s) AS CASE WHEN regexp_full_match(s, '-?[0-9]+(\.[0-9]{1,2})?') THEN TRY_CAST(s AS DECIMAL(9,2)) END;
CREATE MACRO try_iso_date(s) AS TRY_CAST(try_strptime(s, '%Y-%m-%d') AS DATE);
CREATE MACRO re_full(s, p) AS regexp_full_match(s, p);
CREATE MACRO dec4(i) AS CAST(CAST(i AS DECIMAL(38,0)) * CAST(0.0001 AS DECIMAL(5,4)) AS DECIMAL(9,4));
CREATE MACRO dec2(i) AS CAST(CAST(i AS DECIMAL(38,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(7,2));
CREATE MACRO dec1(i) AS CAST(CAST(i AS DECIMAL(38,0)) * CAST(0.1 AS DECIMAL(2,1)) AS DECIMAL(5,1));
CREATE MACRO month_start(d) AS CAST(date_trunc('month', d) AS DATE);
