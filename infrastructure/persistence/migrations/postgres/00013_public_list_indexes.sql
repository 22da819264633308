-- The public lists by date and by title test three columns besides their key: status, trashed_at
-- and published_at. The older (status, key, id) indexes lack trashed_at, so every entry a list
-- walks costs a fetch of its heap row. An offset page walks every entry before it: page 100 of 100
-- cost 10,000 such fetches. With trashed_at in the index (and published_at in the title index), a
-- list's ids come from the index alone (an index-only scan once the visibility map is set) and only
-- the rows of the page are fetched.
-- +goose Up
CREATE INDEX articles_public_published_idx ON articles (status, trashed_at, published_at DESC, id DESC);
CREATE INDEX articles_public_title_idx ON articles (status, trashed_at, title COLLATE "C", id, published_at);

-- +goose Down
DROP INDEX articles_public_title_idx;
DROP INDEX articles_public_published_idx;
