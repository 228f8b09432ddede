-- The archive's first schema. One file for both back ends: statements under "-- @all" run on
-- both, "-- @sqlite" and "-- @postgresql" only on theirs (the full-text index is where they differ).
-- Every table is insert-only: a record is never updated, so an archive role needs only SELECT and
-- INSERT; what changes about a record later (superseded) is a row of its own.
-- @all
CREATE TABLE archive_schema(
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied TEXT NOT NULL
);
-- One row per package zip, known by its sha256 (its fixity): the same OUT added twice is found here.
CREATE TABLE packages(
  sha256 TEXT PRIMARY KEY,
  dossier TEXT NOT NULL,
  location TEXT NOT NULL,          -- where the zip was when added (absolute path)
  size BIGINT NOT NULL,
  added TEXT NOT NULL,
  added_by TEXT NOT NULL
);
CREATE TABLE records(
  uid TEXT PRIMARY KEY,            -- package sha256 (16) + '/' + the batch's record id
  package_sha256 TEXT NOT NULL REFERENCES packages(sha256),
  record_id TEXT NOT NULL,         -- OUT/records/<id>
  record_name TEXT,                -- its name in the package: HS-000123.1
  record_sha256 TEXT NOT NULL,     -- record.json, as in the package's manifest
  document_sha256 TEXT,            -- document.pdf
  doc_type TEXT NOT NULL,
  so_ky_hieu TEXT,
  number_key TEXT,                 -- so_ky_hieu folded, letters and digits only
  co_quan_ban_hanh TEXT,
  issuer_key TEXT,                 -- co_quan_ban_hanh folded
  ngay_ban_hanh TEXT,
  ngay_het_han TEXT,
  ho_ten TEXT,
  name_key TEXT,                   -- ho_ten folded, single spaces
  so_dinh_danh TEXT,
  ngay_sinh TEXT,
  pages INTEGER NOT NULL,
  phash TEXT,                      -- the pages' perceptual hashes (dHash 256 bits each, hex, '.'-joined)
  duplicate_of TEXT REFERENCES records(uid),
  duplicate_reason TEXT,           -- 'number' | 'same_document' | 'images'
  added TEXT NOT NULL,
  added_by TEXT NOT NULL,
  body TEXT NOT NULL               -- index_text(): folded words of the type, metadata and OCR text
);
-- The unique keys that keep two concurrent adds from archiving one document twice.
CREATE UNIQUE INDEX records_in_package ON records(package_sha256, record_id);
CREATE UNIQUE INDEX records_number ON records(doc_type, number_key, issuer_key)
  WHERE duplicate_of IS NULL AND number_key IS NOT NULL AND issuer_key IS NOT NULL;
CREATE UNIQUE INDEX records_images ON records(phash) WHERE duplicate_of IS NULL AND phash IS NOT NULL;
CREATE INDEX records_person_id ON records(so_dinh_danh);
CREATE INDEX records_person_name ON records(name_key, ngay_sinh);
CREATE INDEX records_type ON records(doc_type);
-- A re-issued certificate supersedes the old one; the old record stays, and this row marks it.
CREATE TABLE supersessions(
  old_uid TEXT PRIMARY KEY REFERENCES records(uid),
  new_uid TEXT NOT NULL REFERENCES records(uid),
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
-- Every lookup and search of personal data: who asked, when, what, how many documents came back.
CREATE TABLE lookups(
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  db_user TEXT,
  kind TEXT NOT NULL,
  query TEXT NOT NULL,
  results INTEGER NOT NULL
);
CREATE INDEX lookups_at ON lookups(at);
-- @sqlite
-- FTS5 over records.body without a second copy of the text; records are only ever inserted.
CREATE VIRTUAL TABLE records_text USING fts5(body, content='records', content_rowid='rowid', tokenize='unicode61');
CREATE TRIGGER records_text_add AFTER INSERT ON records BEGIN
  INSERT INTO records_text(rowid, body) VALUES (new.rowid, new.body);
END;
-- @postgresql
-- body is already folded (no diacritics) by sohoa's one folding, so the 'simple' configuration
-- and a GIN index over its words match exactly what FTS5 matches; unaccent is not needed.
CREATE INDEX records_text ON records USING gin (to_tsvector('simple', body));
