-- The public lists by date and by title test three columns besides their key: status, trashed_at
-- and published_at. The older (status, key, id) indexes lack trashed_at, so every entry a list
-- walks costs a fetch of its heap row. An offset page walks every entry before it: page 100 of 100
-- cost 10,000 such fetches. These indexes hold only public candidates (partial on status and
-- trashed_at: PostgreSQL does not treat "trashed_at IS NULL" as pinning an index column, so a full
-- index with trashed_at second would not yield the list's order), so a list's ids come from an
-- index-only scan once the visibility map is set, and only the rows of the page are fetched.
-- +goose Up
CREATE INDEX articles_public_published_idx ON articles (published_at DESC, id DESC)
    WHERE status = 'published' AND trashed_at IS NULL;
CREATE INDEX articles_public_title_idx ON articles (title COLLATE "C", id) INCLUDE (published_at)
    WHERE status = 'published' AND trashed_at IS NULL;

-- +goose Down
DROP INDEX articles_public_title_idx;
DROP INDEX articles_public_published_idx;
