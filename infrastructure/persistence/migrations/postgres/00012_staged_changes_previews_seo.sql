-- Staged edits of live articles, preview tokens, and SEO and social metadata (issue 16).
--
-- pending_changes holds the next version of a published or scheduled article's content as one
-- JSON document (NULL: none). It is never searched, listed or filtered on, and an article has at
-- most one, so a column of the row keeps it: loading and saving an article stays one statement
-- each, and the public read paths never read it.
-- +goose Up
ALTER TABLE articles ADD COLUMN canonical_url TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN og_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN og_description TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN og_image_url TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN twitter_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN twitter_description TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN twitter_image_url TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN noindex BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE articles ADD COLUMN featured BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE articles ADD COLUMN pending_changes TEXT;
ALTER TABLE articles ADD COLUMN changes_scheduled_at TIMESTAMPTZ;
-- The public list filtered on featured, newest first, walks only the featured articles.
CREATE INDEX articles_featured_published_idx ON articles (published_at DESC, id DESC)
    WHERE featured AND status = 'published' AND trashed_at IS NULL;
-- The scheduler's claim of scheduled changes (as articles_due_scheduled_idx for articles).
CREATE INDEX articles_due_changes_idx ON articles (changes_scheduled_at, id)
    WHERE changes_scheduled_at IS NOT NULL AND status = 'published' AND trashed_at IS NULL;

-- A revision keeps the SEO fields and featured as one JSON object, and whether it was a state of
-- pending changes rather than of the live content.
ALTER TABLE article_revisions ADD COLUMN seo TEXT NOT NULL DEFAULT '{}';
ALTER TABLE article_revisions ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE preview_tokens (
    id          UUID PRIMARY KEY,
    article_id  UUID NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_by  UUID REFERENCES users (id) ON DELETE SET NULL,
    hash        BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX preview_tokens_hash_key ON preview_tokens (hash);
CREATE INDEX preview_tokens_article_idx ON preview_tokens (article_id, created_at DESC);

-- +goose Down
DROP TABLE preview_tokens;
ALTER TABLE article_revisions DROP COLUMN pending;
ALTER TABLE article_revisions DROP COLUMN seo;
DROP INDEX articles_due_changes_idx;
DROP INDEX articles_featured_published_idx;
ALTER TABLE articles DROP COLUMN changes_scheduled_at;
ALTER TABLE articles DROP COLUMN pending_changes;
ALTER TABLE articles DROP COLUMN featured;
ALTER TABLE articles DROP COLUMN noindex;
ALTER TABLE articles DROP COLUMN twitter_image_url;
ALTER TABLE articles DROP COLUMN twitter_description;
ALTER TABLE articles DROP COLUMN twitter_title;
ALTER TABLE articles DROP COLUMN og_image_url;
ALTER TABLE articles DROP COLUMN og_description;
ALTER TABLE articles DROP COLUMN og_title;
ALTER TABLE articles DROP COLUMN canonical_url;
