-- API keys. A key is never stored: only its SHA-256 hash, which the server compares in constant time
-- after finding the row by the key's id (the twelve hex digits after "coach_"). Revoked keys stay, so
-- that `coach keys list` can still say who had access and until when.
CREATE TABLE api_keys (
    id         text PRIMARY KEY,
    name       text NOT NULL CHECK (name <> ''),
    role       text NOT NULL CHECK (role IN ('candidate', 'interviewer', 'admin')),
    key_hash   bytea NOT NULL CHECK (length(key_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- `coach purge` deletes the sessions its deletion of old attempts left empty.
CREATE INDEX sessions_created_idx ON sessions (created_at);

---- create above / drop below ----

DROP INDEX sessions_created_idx;
DROP TABLE api_keys;
