-- Assigned number 012: renumber after the migrations merged before it (tern needs no gaps).
-- Long imports run as jobs: a request stores the uploaded files and gets a job id; a worker in any
-- instance claims the job (SELECT ... FOR UPDATE SKIP LOCKED), imports each file in one transaction
-- that also marks the file done, and records progress as it goes. A job whose worker stopped (its
-- heartbeat is old) is claimed again and resumes at its first file not done.
CREATE TABLE import_jobs (
    id           bigserial PRIMARY KEY,
    state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    heartbeat_at timestamptz,
    attempts     int NOT NULL DEFAULT 0,
    -- progress: what the current run has done so far (files done are counted in summary)
    progress     jsonb NOT NULL DEFAULT '{}',
    -- the import report, once the job is done
    summary      jsonb,
    error        text
);
CREATE INDEX import_jobs_pending ON import_jobs (id) WHERE state IN ('queued', 'running');

CREATE TABLE import_job_files (
    job_id   bigint NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    ordinal  int NOT NULL,
    name     text NOT NULL,
    data     bytea,
    drafts   int NOT NULL DEFAULT 0,
    done     boolean NOT NULL DEFAULT false,
    summary  jsonb,
    error    text,
    PRIMARY KEY (job_id, ordinal)
);

---- create above / drop below ----

DROP TABLE import_job_files;
DROP TABLE import_jobs;
