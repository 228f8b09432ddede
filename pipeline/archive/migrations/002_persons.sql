-- Every person a record names, not only its holder: a marriage certificate is found by either
-- spouse, a birth certificate by the child and by the parents (the catalogue's "persons" of each
-- type, models/doctypes.json, say which metadata fields hold whom). `field` is the metadata key of
-- the person's name (ho_ten, ho_ten_chong, …); the role shown comes from the catalogue.
-- Lookups go through this table; name_key and ngay_sinh are compared byte-wise (PostgreSQL:
-- COLLATE "C", as SQLite's BINARY), so a name alone is one index range in (name_key, ngay_sinh,
-- uid) order and its first page is read without sorting every namesake.
-- @sqlite
CREATE TABLE persons(
  uid TEXT NOT NULL REFERENCES records(uid),
  field TEXT NOT NULL,
  ho_ten TEXT,
  name_key TEXT,
  so_dinh_danh TEXT,
  ngay_sinh TEXT,
  PRIMARY KEY(uid, field)
);
-- @postgresql
CREATE TABLE persons(
  uid TEXT NOT NULL REFERENCES records(uid),
  field TEXT NOT NULL,
  ho_ten TEXT,
  name_key TEXT COLLATE "C",
  so_dinh_danh TEXT COLLATE "C",
  ngay_sinh TEXT COLLATE "C",
  PRIMARY KEY(uid, field)
);
-- @all
-- Existing archives: every record's holder, as the records table has kept it (the pipeline's
-- metadata had no other person field before this migration).
INSERT INTO persons(uid, field, ho_ten, name_key, so_dinh_danh, ngay_sinh)
  SELECT uid, 'ho_ten', ho_ten, name_key, so_dinh_danh, ngay_sinh FROM records
  WHERE name_key IS NOT NULL OR so_dinh_danh IS NOT NULL;
CREATE INDEX persons_id ON persons(so_dinh_danh);
CREATE INDEX persons_name ON persons(name_key, ngay_sinh, uid);
-- @postgresql
-- Roles given read and insert on the archive (`archive init --grant`) get the same on persons.
DO $$
DECLARE g text;
BEGIN
  FOR g IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
           WHERE table_name = 'records' AND privilege_type = 'INSERT' AND grantee <> current_user LOOP
    EXECUTE format('GRANT SELECT, INSERT ON persons TO %I', g);
  END LOOP;
END $$;
