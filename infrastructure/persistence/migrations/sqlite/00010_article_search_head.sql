-- PostgreSQL adds a title-and-excerpt search vector here (issue 14). SQLite needs no change: FTS5
-- restricts a match to the title and excerpt columns of articles_fts with a column filter. The
-- version keeps both dialects' migrations in step.
-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
