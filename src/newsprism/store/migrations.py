"""The store's schema as an ordered list of migrations; each applied one is recorded in the ``migrations`` table.

``MIGRATIONS`` is SQLite's, ``POSTGRES_MIGRATIONS`` PostgreSQL's: the same versions with the same names and the same
tables and columns, each in its own dialect (and with its own search index: FTS5 there, ``tsvector`` here), so a
store of either kind at version N holds the same things.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "articles, story assignments and analyses", """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL UNIQUE,          -- canonical URL, or content hash when there is no URL
            content_hash TEXT NOT NULL,
            title TEXT,
            outlet TEXT,
            lean TEXT,
            published TEXT,
            data TEXT NOT NULL,                -- the Article as JSON
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE assignments (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL
        );
        CREATE INDEX assignments_by_story ON assignments(story_id);
        CREATE TABLE analyses (
            story_id TEXT PRIMARY KEY,
            members_hash TEXT NOT NULL,
            report TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
    """),
    (2, "clustering features kept per embedder, and inputs waiting for a retry", """
        CREATE TABLE features (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            embedder TEXT NOT NULL,
            content_hash TEXT NOT NULL,        -- the article's content when the features were made
            data BLOB NOT NULL,                -- cluster.features.ArticleFeatures, serialised
            PRIMARY KEY (article_id, embedder)
        );
        CREATE TABLE retries (
            source TEXT PRIMARY KEY,           -- the input (path or URL) that failed for now
            message TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            first_failed TEXT NOT NULL,
            last_failed TEXT NOT NULL
        );
    """),
    (3, "what listings filter on as columns, and full-text search over articles and facts", """
        ALTER TABLE articles ADD COLUMN kind TEXT;
        ALTER TABLE articles ADD COLUMN country TEXT;
        ALTER TABLE articles ADD COLUMN ownership TEXT;
        ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
        UPDATE articles SET kind = json_extract(data, '$.kind'), country = json_extract(data, '$.outlet.country'),
            ownership = json_extract(data, '$.outlet.ownership'), duplicate_of = json_extract(data, '$.duplicate_of');
        CREATE INDEX articles_by_outlet ON articles(outlet);
        CREATE VIRTUAL TABLE passages USING fts5(
            text,
            kind UNINDEXED,                    -- title, paragraph (of an article) or fact (of a story's analysis)
            article_id UNINDEXED,
            story_id UNINDEXED,                -- facts only: an article's story is read from assignments
            fact_id UNINDEXED,
            start UNINDEXED,                   -- offsets in the article's text (its title for a title)
            "end" UNINDEXED,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE passage_ranges (          -- whose passages are which rows, so replacing them is a range delete
            owner TEXT PRIMARY KEY,            -- 'article:<id>' or 'facts:<story id>'
            first INTEGER NOT NULL,
            last INTEGER NOT NULL
        );
    """),
    (4, "followed feeds, what each gave, and exact copies across inputs", """
        ALTER TABLE articles ADD COLUMN fingerprint TEXT;  -- ingest.identity.fingerprint_of(text)
        CREATE INDEX articles_by_fingerprint ON articles(fingerprint);
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            site TEXT,
            added_at REAL NOT NULL,            -- times are seconds since the epoch, UTC
            etag TEXT,
            last_modified TEXT,
            last_checked REAL,
            last_status TEXT,                  -- new items, no new items, not modified, error
            next_check REAL NOT NULL,
            interval REAL,                     -- seconds between checks chosen at the last one
            errors INTEGER NOT NULL DEFAULT 0, -- consecutive failed checks
            last_error TEXT,
            paused INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,                  -- the watcher checking the feed now, until lease_until
            lease_until REAL
        );
        CREATE TABLE feed_items (
            feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE ON UPDATE CASCADE,
            key TEXT NOT NULL,                 -- the item's guid, else its link, else its title
            link TEXT,
            title TEXT,
            summary TEXT,                      -- what the feed said of the item (its HTML), kept whatever happens
            full_text INTEGER NOT NULL,        -- the feed carries the article itself
            published TEXT,
            stamp REAL,
            state TEXT NOT NULL,               -- pending, stored, seen (already stored), failed, retry
            article_id TEXT,
            problem TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            first_seen REAL NOT NULL,
            PRIMARY KEY (feed_url, key)
        );
        CREATE INDEX feed_items_by_state ON feed_items(feed_url, state);
        CREATE INDEX feed_items_by_link ON feed_items(link);
    """),
]

POSTGRES_MIGRATIONS: list[tuple[int, str, str]] = [
    (1, MIGRATIONS[0][1], """
        CREATE TABLE articles (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            title TEXT,
            outlet TEXT,
            lean TEXT,
            published TEXT,
            data TEXT NOT NULL,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE assignments (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL
        );
        CREATE INDEX assignments_by_story ON assignments(story_id);
        CREATE TABLE analyses (
            story_id TEXT PRIMARY KEY,
            members_hash TEXT NOT NULL,
            report TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE data_version (n BIGINT NOT NULL);  -- bumped by every write: what SQLite's data_version says
        INSERT INTO data_version VALUES (0);
    """),
    (2, MIGRATIONS[1][1], """
        CREATE TABLE features (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            embedder TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            data BYTEA NOT NULL,
            PRIMARY KEY (article_id, embedder)
        );
        CREATE TABLE retries (
            source TEXT PRIMARY KEY,
            message TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            first_failed TEXT NOT NULL,
            last_failed TEXT NOT NULL
        );
    """),
    (3, MIGRATIONS[2][1], """
        ALTER TABLE articles ADD COLUMN kind TEXT;
        ALTER TABLE articles ADD COLUMN country TEXT;
        ALTER TABLE articles ADD COLUMN ownership TEXT;
        ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
        UPDATE articles SET kind = data::json->>'kind', country = data::json->'outlet'->>'country',
            ownership = data::json->'outlet'->>'ownership', duplicate_of = data::json->>'duplicate_of';
        CREATE INDEX articles_by_outlet ON articles(outlet);
        CREATE TABLE passages (
            id BIGSERIAL PRIMARY KEY,
            owner TEXT NOT NULL,               -- 'article:<id>' or 'facts:<story id>': replaced as one
            text TEXT NOT NULL,
            words TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
            kind TEXT NOT NULL,
            article_id TEXT,
            story_id TEXT,
            fact_id TEXT,
            start INTEGER,
            "end" INTEGER
        );
        CREATE INDEX passages_by_owner ON passages(owner);
        CREATE INDEX passages_by_words ON passages USING GIN (words);
    """),
    (4, MIGRATIONS[3][1], """
        ALTER TABLE articles ADD COLUMN fingerprint TEXT;
        CREATE INDEX articles_by_fingerprint ON articles(fingerprint);
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            site TEXT,
            added_at DOUBLE PRECISION NOT NULL,
            etag TEXT,
            last_modified TEXT,
            last_checked DOUBLE PRECISION,
            last_status TEXT,
            next_check DOUBLE PRECISION NOT NULL,
            interval DOUBLE PRECISION,
            errors INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            paused INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_until DOUBLE PRECISION
        );
        CREATE TABLE feed_items (
            seq BIGSERIAL,                     -- the order first seen (SQLite's rowid)
            feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE ON UPDATE CASCADE,
            key TEXT NOT NULL,
            link TEXT,
            title TEXT,
            summary TEXT,
            full_text INTEGER NOT NULL,
            published TEXT,
            stamp DOUBLE PRECISION,
            state TEXT NOT NULL,
            article_id TEXT,
            problem TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            first_seen DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (feed_url, key)
        );
        CREATE INDEX feed_items_by_state ON feed_items(feed_url, state);
        CREATE INDEX feed_items_by_link ON feed_items(link);
    """),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
