-- rolo journal, schema v3: the state of `rolo sync` (CardDAV/CalDAV).
--
-- The journal's own tables are not touched: sync reads and writes whole records through
-- store::records. These tables remember what the server had the last time both sides
-- agreed, so that the next sync can tell who changed what.

-- The server: its URL and who to log in as. The password is never stored; at most the
-- command that prints it.
CREATE TABLE sync_account (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    url              TEXT NOT NULL,
    user             TEXT,
    password_command TEXT,
    created_at       TEXT NOT NULL,
    last_sync_at     TEXT
);

-- One collection per kind of record: the address book (contacts), a VTODO calendar
-- (reminders) and a VJOURNAL calendar (interactions). The sync token is opaque.
CREATE TABLE sync_collections (
    kind       TEXT PRIMARY KEY CHECK (kind IN ('contacts', 'interactions', 'reminders')),
    href       TEXT NOT NULL,
    sync_token TEXT,
    synced_at  TEXT
);

-- Per record on the server: where it lives, the ETag and the hash of the normalised item
-- as last seen (a server's rewrite changes the ETag but not the hash), the record as both
-- sides last agreed on it (JSON: the merge base), the record's updated_at then, the UID as
-- the server spells it, and the item's properties rolo does not model (written back).
CREATE TABLE sync_items (
    kind       TEXT NOT NULL REFERENCES sync_collections (kind) ON DELETE CASCADE,
    uid        TEXT NOT NULL,
    href       TEXT NOT NULL,
    etag       TEXT,
    hash       TEXT NOT NULL,
    base       TEXT NOT NULL,
    synced_at  TEXT NOT NULL,
    remote_uid TEXT NOT NULL,
    extra      TEXT,
    PRIMARY KEY (kind, uid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sync_items_by_href ON sync_items (kind, href);

-- A record deleted for good (trash emptied) that the server still has: kept until the
-- delete has reached it.
CREATE TABLE sync_tombstones (
    kind       TEXT NOT NULL,
    uid        TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (kind, uid)
) WITHOUT ROWID;

-- Where both sides changed one field of a record differently: the newer value was kept,
-- the other is here so the user can take it instead. Values are JSON.
CREATE TABLE sync_conflicts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    uid         TEXT NOT NULL,
    field       TEXT NOT NULL,
    kept        TEXT NOT NULL,
    lost        TEXT NOT NULL,
    kept_side   TEXT NOT NULL CHECK (kept_side IN ('local', 'server')),
    at          TEXT NOT NULL,
    resolved_at TEXT,
    resolution  TEXT CHECK (resolution IN ('kept', 'took-other'))
);
CREATE INDEX sync_conflicts_open ON sync_conflicts (at) WHERE resolved_at IS NULL;

-- Records changed here since sync last agreed with the server. `updated_at` alone cannot
-- say (two changes in one second look like one); these triggers mark every write of a
-- record or of its parts, once a sync is set up. Sync clears the mark when the server has
-- the record as it is.
CREATE TABLE sync_changed (
    kind TEXT NOT NULL,
    uid  TEXT NOT NULL,
    PRIMARY KEY (kind, uid)
) WITHOUT ROWID;

CREATE TRIGGER sync_contact_inserted AFTER INSERT ON contacts
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid) VALUES ('contacts', NEW.uid); END;
CREATE TRIGGER sync_contact_updated AFTER UPDATE OF
    uid, display_name, name_family, name_given, name_additional, name_prefix, name_suffix,
    nickname, company, title, birthday, anniversary, met_text, met_date, met_introduced_by,
    notes, cadence, archived, vcard_extra, created_at, updated_at, deleted_at ON contacts
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid) VALUES ('contacts', NEW.uid); END;
CREATE TRIGGER sync_contact_field_added AFTER INSERT ON contact_fields
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'contacts', uid FROM contacts WHERE id = NEW.contact_id; END;
CREATE TRIGGER sync_contact_field_removed AFTER DELETE ON contact_fields
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'contacts', uid FROM contacts WHERE id = OLD.contact_id; END;
CREATE TRIGGER sync_contact_field_changed AFTER UPDATE ON contact_fields
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'contacts', uid FROM contacts WHERE id = NEW.contact_id; END;
CREATE TRIGGER sync_contact_tag_added AFTER INSERT ON contact_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'contacts', uid FROM contacts WHERE id = NEW.contact_id; END;
CREATE TRIGGER sync_contact_tag_removed AFTER DELETE ON contact_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'contacts', uid FROM contacts WHERE id = OLD.contact_id; END;

CREATE TRIGGER sync_interaction_inserted AFTER INSERT ON interactions
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid) VALUES ('interactions', NEW.uid); END;
CREATE TRIGGER sync_interaction_updated AFTER UPDATE ON interactions
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid) VALUES ('interactions', NEW.uid); END;
CREATE TRIGGER sync_participant_added AFTER INSERT ON interaction_participants
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'interactions', uid FROM interactions WHERE id = NEW.interaction_id; END;
CREATE TRIGGER sync_participant_removed AFTER DELETE ON interaction_participants
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'interactions', uid FROM interactions WHERE id = OLD.interaction_id; END;
CREATE TRIGGER sync_interaction_tag_added AFTER INSERT ON interaction_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'interactions', uid FROM interactions WHERE id = NEW.interaction_id; END;
CREATE TRIGGER sync_interaction_tag_removed AFTER DELETE ON interaction_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'interactions', uid FROM interactions WHERE id = OLD.interaction_id; END;

CREATE TRIGGER sync_reminder_inserted AFTER INSERT ON reminders
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid) VALUES ('reminders', NEW.uid); END;
CREATE TRIGGER sync_reminder_updated AFTER UPDATE ON reminders
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid) VALUES ('reminders', NEW.uid); END;
CREATE TRIGGER sync_reminder_event_added AFTER INSERT ON reminder_events
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'reminders', uid FROM reminders WHERE id = NEW.reminder_id; END;
CREATE TRIGGER sync_reminder_event_removed AFTER DELETE ON reminder_events
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT OR IGNORE INTO sync_changed (kind, uid)
      SELECT 'reminders', uid FROM reminders WHERE id = OLD.reminder_id; END;
