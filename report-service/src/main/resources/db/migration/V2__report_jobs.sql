-- District reports rendered as jobs (202 + job URL). V1 reserved report_jobs; this adds what a job needs to be
-- traced and served later: whose district it covers, which snapshot it was rendered from, its timings, and the
-- stored result (the PDF lives in result, bytea, next to its row: one transaction, one backup, no shared folder).

ALTER TABLE report_jobs
    ADD COLUMN district_id    TEXT,                   -- scope of the job: same-district department staff may read it
    ADD COLUMN snapshot_id    TEXT,                   -- the snapshot the report was (or will be) rendered from
    ADD COLUMN rules_version  TEXT,
    ADD COLUMN started_at     TIMESTAMPTZ,
    ADD COLUMN result_type    TEXT,                   -- media type of result, e.g. application/pdf
    ADD COLUMN result_size    INT,                    -- bytes of result (kept after the result expires)
    ADD COLUMN expired_at     TIMESTAMPTZ;            -- when result was dropped by the retention (row is kept)

ALTER TABLE report_jobs
    ADD CONSTRAINT report_jobs_params_json CHECK (params::jsonb IS NOT NULL),
    ADD CONSTRAINT report_jobs_done_has_result CHECK (status <> 'DONE' OR expired_at IS NOT NULL OR result IS NOT NULL),
    ADD CONSTRAINT report_jobs_failed_has_error CHECK (status <> 'FAILED' OR error IS NOT NULL);

CREATE INDEX report_jobs_user ON report_jobs (user_id, created_at DESC);
CREATE INDEX report_jobs_district ON report_jobs (district_id, created_at DESC);
CREATE INDEX report_jobs_open ON report_jobs (status) WHERE status IN ('QUEUED', 'RUNNING');
