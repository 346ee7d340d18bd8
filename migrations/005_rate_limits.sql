-- Rate-limit buckets, shared by every server process on this database, so that a limit holds for
-- a cluster of instances and not once per instance. One row per limited client and kind of request
-- ("grade:ip:192.0.2.1"): a token bucket holding `tokens` of at most `burst`, refilled at
-- `per_second`, as it was at `updated_at`. A row whose bucket has refilled is the same as no row,
-- and is deleted now and then.
CREATE UNLOGGED TABLE rate_buckets (
    key        text PRIMARY KEY,
    tokens     double precision NOT NULL,
    burst      int NOT NULL CHECK (burst > 0),
    per_second double precision NOT NULL CHECK (per_second > 0),
    updated_at timestamptz NOT NULL,
    allowed    boolean NOT NULL
);

---- create above / drop below ----

DROP TABLE rate_buckets;
