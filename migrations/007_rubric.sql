-- A question's rubric: key points carry a weight (core 1, detail 0.5) and a review status. Authored
-- key points are the rubric as written; key points extracted from imported pages (by the splitter or
-- a model) were graded against until now, which let every import dilute the rubric: they become
-- drafts, which graders ignore once a question has an approved rubric.
ALTER TABLE key_points
    ADD COLUMN weight real NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 1),
    ADD COLUMN status text NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'draft', 'rejected'));
UPDATE key_points SET status = 'draft' WHERE origin <> 'authored';

-- Every change of a question's rubric (a key point added, edited, approved, rejected, reordered,
-- deleted; a reference moved) increments its rubric_version, and each attempt records the version it
-- was graded against. Attempts already keep the judged key points' text in result.
ALTER TABLE questions ADD COLUMN rubric_version int NOT NULL DEFAULT 1;
ALTER TABLE attempts ADD COLUMN rubric_version int;

-- A difficulty is only stored when a document states it; imported questions no longer default to
-- medium.
ALTER TABLE questions ALTER COLUMN difficulty DROP NOT NULL;

-- A source is shown by its readable name (a page title, or the name given at import) and URL, never
-- by the path of a file on the server; sources.name stays the import's identity.
ALTER TABLE sources ADD COLUMN url text NOT NULL DEFAULT '';

-- Every change made to the bank through the editing API: who, when, what, and the row before and
-- after as JSON (NULL before a creation and after a deletion).
CREATE TABLE bank_audit (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor     text NOT NULL,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text NOT NULL,
    before    jsonb,
    after     jsonb,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_audit_entity_idx ON bank_audit (entity, entity_id, at);

---- create above / drop below ----

DROP TABLE bank_audit;
ALTER TABLE sources DROP COLUMN url;
UPDATE questions SET difficulty = 'medium' WHERE difficulty IS NULL;
ALTER TABLE questions ALTER COLUMN difficulty SET NOT NULL;
ALTER TABLE attempts DROP COLUMN rubric_version;
ALTER TABLE questions DROP COLUMN rubric_version;
ALTER TABLE key_points DROP COLUMN status, DROP COLUMN weight;
