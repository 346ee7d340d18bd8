-- Graded attempts, stored with everything needed to audit and re-run them.
CREATE TABLE attempts (
    id                text PRIMARY KEY,
    session_id        text,
    question_id       text REFERENCES questions (id) ON DELETE SET NULL,
    question          text NOT NULL,
    answer            text NOT NULL,
    reference_ids     text[] NOT NULL DEFAULT '{}',
    grader_kind       text NOT NULL,
    model             text NOT NULL DEFAULT '',
    prompt_version    text NOT NULL DEFAULT '',
    fallback          boolean NOT NULL DEFAULT false,
    raw_output        text NOT NULL DEFAULT '',
    score             int NOT NULL CHECK (score BETWEEN 0 AND 100),
    band              text NOT NULL,
    grounded          boolean NOT NULL,
    result            jsonb NOT NULL,
    latency_ms        bigint NOT NULL,
    prompt_tokens     int NOT NULL DEFAULT 0,
    completion_tokens int NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attempts_session_idx ON attempts (session_id, created_at) WHERE session_id IS NOT NULL;
CREATE INDEX attempts_created_idx ON attempts (created_at);

---- create above / drop below ----

DROP TABLE attempts;
