-- Documentation as a reference corpus. A documentation source (kind 'docs') records the release it
-- documents and the public address its pages are served under; each of its sections is a reference
-- with no question, titled by its heading path and linked to its public URL with the anchor.
ALTER TABLE sources
    ADD COLUMN kind text NOT NULL DEFAULT 'bank' CHECK (kind IN ('bank', 'docs')),
    ADD COLUMN version text NOT NULL DEFAULT '',
    ADD COLUMN base_url text NOT NULL DEFAULT '';

ALTER TABLE reference_answers
    ADD COLUMN title text NOT NULL DEFAULT '',
    ADD COLUMN url text NOT NULL DEFAULT '';

-- Full-text search over passages, fused with vector search (internal/postgres/hybrid.go).
ALTER TABLE passages ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED;
CREATE INDEX passages_search_idx ON passages USING gin (search);

---- create above / drop below ----

DROP INDEX passages_search_idx;
ALTER TABLE passages DROP COLUMN search;
ALTER TABLE reference_answers DROP COLUMN url, DROP COLUMN title;
ALTER TABLE sources DROP COLUMN base_url, DROP COLUMN version, DROP COLUMN kind;
