-- The knowledge base (KB-1): articles in one of five languages, with a visibility and a state,
-- linked to products and product lines, every save kept as a revision.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    -- Rendered once at save (no script survives) and the plain words snippets quote.
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    -- The Snowball stems of title and body, which ranking counts on both databases.
    search_title TEXT NOT NULL,
    search_body TEXT NOT NULL,
    language TEXT NOT NULL,
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    revision INTEGER NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX articles_listing ON articles(status, id);
-- The stems of title and body (search::index_text), indexed by FTS5 below.
CREATE VIRTUAL TABLE articles_fts USING fts5(search_title, search_body, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE article_products (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, product_id)
);
CREATE INDEX article_products_product ON article_products(product_id);
CREATE TABLE article_lines (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    product_line_id INTEGER NOT NULL REFERENCES product_lines(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, product_line_id)
);
CREATE INDEX article_lines_line ON article_lines(product_line_id);

CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    language TEXT NOT NULL,
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (article_id, revision)
);

-- Helpful or not, one vote a person and article (a second vote changes the first).
CREATE TABLE article_feedback (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    helpful BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);

-- A case being written: the suggestions its writer opened, and how it ended: opened as a case,
-- or withdrawn (after reading one, a deflection).
CREATE TABLE case_drafts (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product_id INTEGER REFERENCES products(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    withdrawn_at TEXT
);
CREATE TABLE draft_articles (
    draft_id INTEGER NOT NULL REFERENCES case_drafts(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (draft_id, article_id)
);
CREATE INDEX draft_articles_article ON draft_articles(article_id);
