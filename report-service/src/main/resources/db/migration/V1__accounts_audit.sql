-- Accounts, parent links, subscriptions, report jobs and the hash-chained audit log.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,                      -- bcrypt (modular crypt format, $2a$...)
    role          TEXT NOT NULL CHECK (role IN ('parent', 'school', 'department', 'auditor', 'admin')),
    school_id     TEXT,                               -- scope of a school account
    district_id   TEXT,                               -- scope of a department account
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (role <> 'school' OR school_id IS NOT NULL),
    CHECK (role <> 'department' OR district_id IS NOT NULL)
);

CREATE TABLE parent_links (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    student_id TEXT   NOT NULL,                       -- the warehouse's pseudonymous id, never an IIN
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, student_id)
);

CREATE TABLE subscriptions (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    premium_until DATE NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE report_jobs (
    id          UUID PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    params      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    result      BYTEA,
    error       TEXT
);

-- Append-only: each record holds the hash of the one before (prev_hash) and its own hash over its fields.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    username    TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,                        -- e.g. student.grades, school.rankings
    endpoint    TEXT NOT NULL,                        -- method and path as requested
    student_ids TEXT,                                 -- comma-separated pseudonymous ids
    school_id   TEXT,
    district_id TEXT,
    client_addr TEXT,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ALLOWED', 'DENIED')),
    detail      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Retention (years) lives in the database so the guard below can enforce it; the service sets it at start.
CREATE TABLE audit_settings (
    id              INT PRIMARY KEY CHECK (id = 1),
    retention_years INT NOT NULL CHECK (retention_years >= 1)
);
INSERT INTO audit_settings (id, retention_years) VALUES (1, 10);

CREATE FUNCTION audit_log_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    IF OLD.at > now() - make_interval(years => (SELECT retention_years FROM audit_settings WHERE id = 1)) THEN
        RAISE EXCEPTION 'audit record % is younger than the retention period', OLD.id;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
