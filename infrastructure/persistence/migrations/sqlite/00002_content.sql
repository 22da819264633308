-- +goose Up
CREATE TABLE tags (
    id           TEXT PRIMARY KEY,
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    -- tag.NormalizeName(name): names are unique ignoring case and surrounding space.
    name_key     TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX tags_slug_key ON tags (slug);
CREATE UNIQUE INDEX tags_name_key_key ON tags (name_key);

-- seq is the rowid the full-text index refers to. It is declared (INTEGER PRIMARY KEY) because an
-- implicit rowid may change on VACUUM, which would detach the external-content FTS index.
CREATE TABLE articles (
    seq                   INTEGER PRIMARY KEY,
    id                    TEXT NOT NULL UNIQUE,
    author_id             TEXT NOT NULL REFERENCES users (id),
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
    published_at          DATETIME,
    scheduled_at          DATETIME,
    trashed_at            DATETIME,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL
);
-- Purged articles are deleted, so a plain unique index keeps slugs unique among the others.
CREATE UNIQUE INDEX articles_slug_key ON articles (slug);
CREATE INDEX articles_status_published_idx ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_status_title_idx ON articles (status, title, id);
CREATE INDEX articles_author_idx ON articles (author_id);
CREATE INDEX articles_trashed_idx ON articles (trashed_at);
CREATE INDEX articles_updated_idx ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_created_idx ON articles (created_at DESC, id DESC);
CREATE INDEX articles_due_scheduled_idx ON articles (scheduled_at, id)
    WHERE status = 'scheduled' AND trashed_at IS NULL;

-- Full-text search over title, excerpt and body text, folding case but not accents (as PostgreSQL's
-- 'simple' configuration does). The index reads its content from articles; the triggers below keep
-- it in step.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, excerpt, body_text,
    content = 'articles', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 0'
);

-- +goose StatementBegin
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    VALUES (new.seq, new.title, new.excerpt, new.body_text);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    VALUES ('delete', old.seq, old.title, old.excerpt, old.body_text);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, body_text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    VALUES ('delete', old.seq, old.title, old.excerpt, old.body_text);
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    VALUES (new.seq, new.title, new.excerpt, new.body_text);
END;
-- +goose StatementEnd

CREATE TABLE article_tags (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id      TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_idx ON article_tags (tag_id, article_id);

CREATE TABLE article_revisions (
    article_id          TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
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
    version             INTEGER NOT NULL,
    editor_id           TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at          DATETIME NOT NULL,
    PRIMARY KEY (article_id, number)
);

-- +goose Down
DROP TABLE article_revisions;
DROP TABLE article_tags;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_insert;
DROP TABLE articles_fts;
DROP TABLE articles;
DROP TABLE tags;
