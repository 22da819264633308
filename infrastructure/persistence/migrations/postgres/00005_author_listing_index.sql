-- An author's page lists their published articles newest first: this index walks them in that
-- order and stops at the page size, instead of collecting every article of the author (or of a
-- tag) and sorting. It replaces the plain author index, which it covers.
-- +goose Up
CREATE INDEX articles_author_status_published_idx ON articles (author_id, status, published_at DESC, id DESC);
DROP INDEX articles_author_idx;

-- +goose Down
CREATE INDEX articles_author_idx ON articles (author_id);
DROP INDEX articles_author_status_published_idx;
