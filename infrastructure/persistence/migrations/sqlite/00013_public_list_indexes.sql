-- The public lists by date and by title test three columns besides their key: status, trashed_at
-- and published_at. The older (status, key, id) indexes lack trashed_at, so every entry a list
-- walks costs a read of its table row, and on SQLite trashed_at is stored after the three body
-- columns, so that read crosses the body's overflow pages. An offset page walks every entry before
-- it: page 100 of 100 cost 10,000 such reads. With trashed_at in the index (and published_at in the
-- title index), a list's ids come from the index alone (a covering index) and only the rows of the
-- page are read.
-- +goose Up
CREATE INDEX articles_public_published_idx ON articles (status, trashed_at, published_at DESC, id DESC);
CREATE INDEX articles_public_title_idx ON articles (status, trashed_at, title, id, published_at);

-- +goose Down
DROP INDEX articles_public_title_idx;
DROP INDEX articles_public_published_idx;
