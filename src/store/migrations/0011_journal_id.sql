-- rolo journal, schema v11: the journal's own identity.
--
-- A vdir export lists the files it wrote in a manifest; two journals exporting into one
-- directory must each touch only their own files, so the manifest says whose they are. A
-- random id, made once: a backup copy is the same journal, a JSON restore a new one.

CREATE TABLE journal_identity (
    id TEXT NOT NULL PRIMARY KEY
);
INSERT INTO journal_identity (id) VALUES (lower(hex(randomblob(16))));
