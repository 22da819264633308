-- +goose Up
CREATE TABLE tags (
    id           UUID PRIMARY KEY,
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    -- tag.NormalizeName(name): names are unique ignoring case and surrounding space.
    name_key     TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tags_slug_key ON tags (slug);
CREATE UNIQUE INDEX tags_name_key_key ON tags (name_key);

CREATE TABLE articles (
    id                    UUID PRIMARY KEY,
    author_id             UUID NOT NULL REFERENCES users (id),
    slug                  TEXT NOT NULL,
    title                 TEXT NOT NULL,
    excerpt               TEXT NOT NULL DEFAULT '',
    excerpt_is_derived    BOOLEAN NOT NULL DEFAULT FALSE,
    body_markdown         TEXT NOT NULL DEFAULT '',
    body_html             TEXT NOT NULL DEFAULT '',
    body_text             TEXT NOT NULL DEFAULT '',
    reading_time_minutes  INTEGER NOT NULL DEFAULT 0,
    cover_image_url       TEXT NOT NULL DEFAULT '',
    meta_title            TEXT NOT NULL DEFAULT '',
    meta_description      TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    published_at          TIMESTAMPTZ,
    scheduled_at          TIMESTAMPTZ,
    trashed_at            TIMESTAMPTZ,
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    -- Full-text search over title (weight A), excerpt (B) and body text (C). The 'simple'
    -- configuration folds case but does not stem, so it serves every language alike.
    search                TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', excerpt), 'B') ||
        setweight(to_tsvector('simple', body_text), 'C')
    ) STORED
);
-- Purged articles are deleted, so a plain unique index keeps slugs unique among the others.
CREATE UNIQUE INDEX articles_slug_key ON articles (slug);
CREATE INDEX articles_status_published_idx ON articles (status, published_at DESC, id DESC);
-- Titles sort by code point (COLLATE "C") so the order is the same on every server and on SQLite.
CREATE INDEX articles_status_title_idx ON articles (status, title COLLATE "C", id);
CREATE INDEX articles_author_idx ON articles (author_id);
CREATE INDEX articles_trashed_idx ON articles (trashed_at);
CREATE INDEX articles_updated_idx ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_created_idx ON articles (created_at DESC, id DESC);
CREATE INDEX articles_due_scheduled_idx ON articles (scheduled_at, id)
    WHERE status = 'scheduled' AND trashed_at IS NULL;
CREATE INDEX articles_search_idx ON articles USING GIN (search);

CREATE TABLE article_tags (
    article_id  UUID NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id      UUID NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_idx ON article_tags (tag_id, article_id);

CREATE TABLE article_revisions (
    article_id          UUID NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number              INTEGER NOT NULL,
    title               TEXT NOT NULL,
    excerpt             TEXT NOT NULL DEFAULT '',
    excerpt_is_derived  BOOLEAN NOT NULL DEFAULT FALSE,
    body_markdown       TEXT NOT NULL DEFAULT '',
    -- The tag ids as a JSON array, in the article's order; tags deleted since stay listed here.
    tag_ids             TEXT NOT NULL DEFAULT '[]',
    meta_title          TEXT NOT NULL DEFAULT '',
    meta_description    TEXT NOT NULL DEFAULT '',
    cover_image_url     TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    version             BIGINT NOT NULL,
    editor_id           UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, number)
);

-- +goose Down
DROP TABLE article_revisions;
DROP TABLE article_tags;
DROP TABLE articles;
DROP TABLE tags;
