-- The question bank: topics, questions, reference answers, their key points, retrievable passages and
-- the passages' embeddings.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE topics (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sources (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    format       text NOT NULL,
    title        text NOT NULL DEFAULT '',
    content_hash text NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE questions (
    id         text PRIMARY KEY,
    topic_id   text NOT NULL REFERENCES topics (id),
    text       text NOT NULL CHECK (text <> ''),
    normalized text NOT NULL UNIQUE,
    difficulty text NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    tags       text[] NOT NULL DEFAULT '{}',
    search     tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questions_topic_idx ON questions (topic_id, id);
CREATE INDEX questions_search_idx ON questions USING gin (search);

-- A reference answer belongs to at most one question (NULL: an orphan passage whose question was lost)
-- and comes from one source document. content_hash covers the question and the normalised text, so
-- importing the same document twice changes nothing.
CREATE TABLE reference_answers (
    id           text PRIMARY KEY,
    question_id  text REFERENCES questions (id) ON DELETE CASCADE,
    source_id    bigint NOT NULL REFERENCES sources (id),
    location     text NOT NULL DEFAULT '',
    text         text NOT NULL CHECK (text <> ''),
    content_hash text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reference_answers_question_idx ON reference_answers (question_id);

CREATE TABLE key_points (
    id           text PRIMARY KEY,
    reference_id text NOT NULL REFERENCES reference_answers (id) ON DELETE CASCADE,
    ordinal      int NOT NULL,
    text         text NOT NULL CHECK (text <> ''),
    origin       text NOT NULL CHECK (origin IN ('authored', 'extracted', 'llm')),
    UNIQUE (reference_id, ordinal)
);

CREATE TABLE passages (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference_id text NOT NULL REFERENCES reference_answers (id) ON DELETE CASCADE,
    ordinal      int NOT NULL,
    text         text NOT NULL,
    UNIQUE (reference_id, ordinal)
);

-- Vectors of every model live in one table, keyed by model, so switching the embedding model never
-- compares vectors of different models. The column has no fixed dimension; each model gets a partial
-- HNSW index over a cast to its dimension, created by the application when it first embeds with it.
CREATE TABLE passage_embeddings (
    passage_id bigint NOT NULL REFERENCES passages (id) ON DELETE CASCADE,
    model      text NOT NULL,
    dimensions int NOT NULL CHECK (dimensions > 0),
    embedding  vector NOT NULL,
    PRIMARY KEY (passage_id, model)
);

CREATE TABLE question_embeddings (
    question_id text NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    model       text NOT NULL,
    dimensions  int NOT NULL CHECK (dimensions > 0),
    embedding   vector NOT NULL,
    PRIMARY KEY (question_id, model)
);

---- create above / drop below ----

DROP TABLE question_embeddings;
DROP TABLE passage_embeddings;
DROP TABLE passages;
DROP TABLE key_points;
DROP TABLE reference_answers;
DROP TABLE questions;
DROP TABLE sources;
DROP TABLE topics;
