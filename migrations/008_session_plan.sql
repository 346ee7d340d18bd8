-- A session's plan: several topics (topic_id keeps a single one, as before), a number of questions
-- after which the session is done (0: no end), a time per answer shown as a countdown (0: none), and
-- when the candidate ended it.
ALTER TABLE sessions
    ADD COLUMN topics         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN question_count int NOT NULL DEFAULT 0 CHECK (question_count BETWEEN 0 AND 100),
    ADD COLUMN answer_seconds int NOT NULL DEFAULT 0 CHECK (answer_seconds BETWEEN 0 AND 3600),
    ADD COLUMN ended_at       timestamptz;
UPDATE sessions SET topics = ARRAY[topic_id] WHERE topic_id IS NOT NULL;

---- create above / drop below ----

ALTER TABLE sessions
    DROP COLUMN ended_at,
    DROP COLUMN answer_seconds,
    DROP COLUMN question_count,
    DROP COLUMN topics;
