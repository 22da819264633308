-- A relevance-ordered search ranks the newest articles whose title or excerpt match (issue 14). The
-- whole search vector holds the body too and is stored out of line (TOAST): testing it row by row
-- while walking the newest articles cost a detoast per row. search_head is the title (A) and the
-- excerpt (B) alone, small enough to stay in the row, with its own GIN index for rare words. Its
-- positions are those of the same words in search, so a phrase matches in both alike.
-- +goose Up
ALTER TABLE articles ADD COLUMN search_head TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), 'A') ||
    setweight(to_tsvector('simple', excerpt), 'B')
) STORED;
CREATE INDEX articles_search_head_idx ON articles USING GIN (search_head);

-- +goose Down
DROP INDEX articles_search_head_idx;
ALTER TABLE articles DROP COLUMN search_head;
