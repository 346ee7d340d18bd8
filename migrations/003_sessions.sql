-- Practice sessions. A session's token is never stored: only its SHA-256 hash, which the server
-- compares in constant time. topic_id and difficulty, when set, limit the questions the session asks.
CREATE TABLE sessions (
    id         text PRIMARY KEY,
    token_hash bytea NOT NULL CHECK (length(token_hash) = 32),
    name       text NOT NULL DEFAULT '',
    topic_id   text REFERENCES topics (id),
    difficulty text CHECK (difficulty IN ('easy', 'medium', 'hard')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Until now attempts.session_id was a free label that no session stood behind, and no endpoint can
-- read attempts by it; it is cleared so that every session_id names a session from here on.
UPDATE attempts SET session_id = NULL WHERE session_id IS NOT NULL;
-- attempts_session_idx (session_id, created_at) already serves the cascade and a session's history.
ALTER TABLE attempts ADD CONSTRAINT attempts_session_fk
    FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE;

---- create above / drop below ----

ALTER TABLE attempts DROP CONSTRAINT attempts_session_fk;
DROP TABLE sessions;
