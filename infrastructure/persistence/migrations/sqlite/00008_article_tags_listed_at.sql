-- A tag's page lists its public articles newest first. listed_at copies the article's published_at
-- onto each of its tag links while the public may see it (published, not trashed; NULL otherwise), so
-- that the (tag_id, listed_at, article_id) index yields a tag's page in order and stops at the page
-- size: before, the list walked every published article looking for ones with the tag (460 ms at
-- 100,000 articles for a tag with 1,250). author_id is copied too, last in the index, so that a tag
-- and author page filters inside the index. Triggers keep the copies in step with every write path,
-- the bulk seed included.
-- +goose Up
ALTER TABLE article_tags ADD COLUMN listed_at DATETIME;
ALTER TABLE article_tags ADD COLUMN author_id TEXT;
UPDATE article_tags SET (listed_at, author_id) = (
    SELECT CASE WHEN a.status = 'published' AND a.trashed_at IS NULL THEN a.published_at END, a.author_id
    FROM articles a WHERE a.id = article_tags.article_id);
CREATE INDEX article_tags_tag_listed_idx ON article_tags (tag_id, listed_at DESC, article_id DESC, author_id);

-- +goose StatementBegin
CREATE TRIGGER article_tags_listed_at_insert AFTER INSERT ON article_tags BEGIN
    UPDATE article_tags SET (listed_at, author_id) = (
        SELECT CASE WHEN a.status = 'published' AND a.trashed_at IS NULL THEN a.published_at END, a.author_id
        FROM articles a WHERE a.id = new.article_id)
    WHERE article_id = new.article_id AND tag_id = new.tag_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER articles_listed_at_update AFTER UPDATE OF status, published_at, trashed_at, author_id ON articles
WHEN old.status IS NOT new.status OR old.published_at IS NOT new.published_at
    OR old.trashed_at IS NOT new.trashed_at OR old.author_id IS NOT new.author_id
BEGIN
    UPDATE article_tags SET author_id = new.author_id,
        listed_at = CASE WHEN new.status = 'published' AND new.trashed_at IS NULL THEN new.published_at END
    WHERE article_id = new.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER articles_listed_at_update;
DROP TRIGGER article_tags_listed_at_insert;
DROP INDEX article_tags_tag_listed_idx;
ALTER TABLE article_tags DROP COLUMN author_id;
ALTER TABLE article_tags DROP COLUMN listed_at;
