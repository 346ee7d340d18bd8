-- How the language model was asked for each grade, for audit: the settings actually sent, which may
-- differ from those configured when a model refused one. NULL temperature or seed: not sent; empty
-- response_format: an offline grade, which asks no model.
ALTER TABLE attempts
    ADD COLUMN response_format    text NOT NULL DEFAULT '',
    ADD COLUMN temperature        double precision,
    ADD COLUMN seed               bigint,
    ADD COLUMN system_fingerprint text NOT NULL DEFAULT '',
    ADD COLUMN model_requests     int NOT NULL DEFAULT 0;

---- create above / drop below ----

ALTER TABLE attempts
    DROP COLUMN model_requests,
    DROP COLUMN system_fingerprint,
    DROP COLUMN seed,
    DROP COLUMN temperature,
    DROP COLUMN response_format;
