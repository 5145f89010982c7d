-- rolo journal, schema: text as people write it.
--
-- Names sort by the Unicode Collation Algorithm (CLDR root order): a sort key, computed by
-- rolo once per name (it cannot be computed in SQL) and indexed, so the contact list is
-- ordered by comparing bytes. The same step rewrites every stored text in Unicode NFC (a
-- name typed on one system and imported from another is one name) — done by rolo, after
-- this file, in the same transaction.

ALTER TABLE contacts ADD COLUMN sort_key BLOB;
CREATE INDEX contacts_by_sort_key ON contacts (sort_key, id) WHERE deleted_at IS NULL;
