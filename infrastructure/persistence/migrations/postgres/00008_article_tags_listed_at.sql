-- A tag's page lists its public articles newest first. listed_at copies the article's published_at
-- onto each of its tag links while the public may see it (published, not trashed; NULL otherwise), so
-- that the (tag_id, listed_at, article_id) index yields a tag's page in order and stops at the page
-- size: before, the list walked every published article looking for ones with the tag (320 ms at
-- 100,000 articles for a tag with 1,250). author_id is copied too, last in the index, so that a tag
-- and author page filters inside the index. Triggers keep the copies in step with every write path,
-- the bulk seed included.
-- +goose Up
ALTER TABLE article_tags ADD COLUMN listed_at TIMESTAMPTZ, ADD COLUMN author_id UUID;
UPDATE article_tags j SET author_id = a.author_id,
    listed_at = CASE WHEN a.status = 'published' AND a.trashed_at IS NULL THEN a.published_at END
    FROM articles a WHERE a.id = j.article_id;
CREATE INDEX article_tags_tag_listed_idx ON article_tags (tag_id, listed_at DESC, article_id DESC, author_id);

-- +goose StatementBegin
CREATE FUNCTION article_tags_set_listed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT CASE WHEN a.status = 'published' AND a.trashed_at IS NULL THEN a.published_at END, a.author_id
        INTO NEW.listed_at, NEW.author_id FROM articles a WHERE a.id = NEW.article_id;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER article_tags_listed_at_insert BEFORE INSERT ON article_tags
    FOR EACH ROW EXECUTE FUNCTION article_tags_set_listed_at();

-- +goose StatementBegin
CREATE FUNCTION articles_sync_listed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE article_tags SET author_id = NEW.author_id,
        listed_at = CASE WHEN NEW.status = 'published' AND NEW.trashed_at IS NULL THEN NEW.published_at END
        WHERE article_id = NEW.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER articles_listed_at_update AFTER UPDATE OF status, published_at, trashed_at, author_id ON articles
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at
        OR OLD.trashed_at IS DISTINCT FROM NEW.trashed_at OR OLD.author_id IS DISTINCT FROM NEW.author_id)
    EXECUTE FUNCTION articles_sync_listed_at();

-- +goose Down
DROP TRIGGER articles_listed_at_update ON articles;
DROP FUNCTION articles_sync_listed_at();
DROP TRIGGER article_tags_listed_at_insert ON article_tags;
DROP FUNCTION article_tags_set_listed_at();
DROP INDEX article_tags_tag_listed_idx;
ALTER TABLE article_tags DROP COLUMN listed_at, DROP COLUMN author_id;
