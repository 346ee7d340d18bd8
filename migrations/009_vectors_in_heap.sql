-- Vectors stay in the table's own pages. pgvector's type defaults to EXTERNAL storage, so every
-- vector of more than about 500 dimensions (2 KB) went to the TOAST table: a 768-dimension bank of
-- 300k passages kept 22 MB of heap and 1.2 GB of TOAST, and building or scanning it fetched each vector
-- through the TOAST index. MAIN keeps them in line (the storage is tried compressed first, which floats
-- refuse cheaply, and only a row too big for a page would still go out of line), for every model: the
-- tables stay untyped and shared, keyed by model, with a partial HNSW index per model.
--
-- Changing the storage alone affects new rows only, so the column is rewritten in place (a cast through
-- real[] makes a new value of every vector); the partial indexes are rebuilt with the table.
ALTER TABLE passage_embeddings
    ALTER COLUMN embedding TYPE vector USING embedding::real[]::vector,
    ALTER COLUMN embedding SET STORAGE MAIN;
ALTER TABLE question_embeddings
    ALTER COLUMN embedding TYPE vector USING embedding::real[]::vector,
    ALTER COLUMN embedding SET STORAGE MAIN;

---- create above / drop below ----

ALTER TABLE question_embeddings ALTER COLUMN embedding SET STORAGE EXTERNAL;
ALTER TABLE passage_embeddings ALTER COLUMN embedding SET STORAGE EXTERNAL;
