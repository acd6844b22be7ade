-- The audit log against a tampering database: keyed hashes, no TRUNCATE, and a service role that owns nothing.
-- Runs as the schema's owner (Flyway's own credentials); ${service_role} is the role the service connects as.

-- 1 = SHA-256 of the fields (every record before this migration), 2 = HMAC-SHA256 with the service's audit key.
-- Adding a column with a default rewrites no row, so the append-only trigger is not involved.
ALTER TABLE audit_log ADD COLUMN hash_version SMALLINT NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2));
ALTER TABLE audit_log ALTER COLUMN hash_version DROP DEFAULT;

-- Row triggers do not see TRUNCATE.
CREATE FUNCTION audit_log_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();

-- What the service needs and no more: the audit log is read and appended to, its settings only read (the owner
-- stores the retention); the other tables are the service's working data.
REVOKE ALL ON audit_log, audit_settings FROM PUBLIC;
GRANT SELECT, INSERT ON audit_log TO "${service_role}";
GRANT USAGE ON SEQUENCE audit_log_id_seq TO "${service_role}";
GRANT SELECT ON audit_settings TO "${service_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON users, parent_links, subscriptions, report_jobs TO "${service_role}";
GRANT USAGE ON SEQUENCE users_id_seq TO "${service_role}";
