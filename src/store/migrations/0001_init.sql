-- rolo journal, schema v1. Shipped migrations are append-only: never edit this file,
-- add 0002_….sql instead.
--
-- Conventions: instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (fixed width, so text order is
-- time order); calendar dates are 'YYYY-MM-DD', year-less ones '--MM-DD'; every record has a
-- UID, created_at and updated_at; deletes are soft (deleted_at) until the trash is emptied.

CREATE TABLE contacts (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    display_name      TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    name_family       TEXT NOT NULL DEFAULT '',
    name_given        TEXT NOT NULL DEFAULT '',
    name_additional   TEXT NOT NULL DEFAULT '',
    name_prefix       TEXT NOT NULL DEFAULT '',
    name_suffix       TEXT NOT NULL DEFAULT '',
    nickname          TEXT,
    company           TEXT,
    title             TEXT,
    birthday          TEXT,
    anniversary       TEXT,
    met_text          TEXT,
    met_date          TEXT,
    met_introduced_by INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    notes             TEXT,
    cadence           TEXT,
    archived          INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- vCard properties rolo does not model, kept verbatim for export.
    vcard_extra       TEXT,
    -- Derived: kept exact by the triggers below, never written by the application.
    last_interaction_at TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
);
-- Covers name resolution (id, name, nickname of every live contact) without table seeks.
CREATE INDEX contacts_by_name ON contacts (display_name COLLATE NOCASE, id, nickname) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_recent ON contacts (last_interaction_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_with_cadence ON contacts (id) WHERE cadence IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX contacts_with_dates ON contacts (id)
    WHERE (birthday IS NOT NULL OR anniversary IS NOT NULL) AND deleted_at IS NULL;
CREATE INDEX contacts_in_trash ON contacts (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE contact_fields (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'url', 'address', 'handle')),
    label      TEXT NOT NULL DEFAULT '',
    value      TEXT NOT NULL,
    preferred  INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1))
);
CREATE INDEX contact_fields_of_contact ON contact_fields (contact_id, position);
-- Import dedupe looks contacts up by email and profile URL.
CREATE INDEX contact_fields_by_value ON contact_fields (kind, value COLLATE NOCASE);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_tag ON contact_tags (tag, contact_id);

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    happened_at TEXT NOT NULL,
    kind        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    body        TEXT,
    location    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX interactions_by_time ON interactions (happened_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX interactions_in_trash ON interactions (deleted_at) WHERE deleted_at IS NOT NULL;

-- happened_at is copied from the interaction (and kept equal by a trigger) so that one
-- person's timeline and their last-interaction time are index walks, not sorts.
CREATE TABLE interaction_participants (
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL DEFAULT 0,
    happened_at    TEXT NOT NULL,
    PRIMARY KEY (interaction_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX participants_by_contact ON interaction_participants (contact_id, happened_at DESC, interaction_id DESC);

CREATE TABLE interaction_tags (
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    tag            TEXT NOT NULL,
    PRIMARY KEY (interaction_id, tag)
) WITHOUT ROWID;
CREATE INDEX interaction_tags_by_tag ON interaction_tags (tag, interaction_id);

CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    contact_id     INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    due_date       TEXT NOT NULL,
    due_time       TEXT,
    recurrence     TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dismissed')),
    snooze_count   INTEGER NOT NULL DEFAULT 0,
    source         TEXT NOT NULL CHECK (source IN ('manual', 'follow-up', 'import')),
    interaction_id INTEGER REFERENCES interactions (id) ON DELETE SET NULL,
    completed_at   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE INDEX reminders_open_by_due ON reminders (due_date, id) WHERE status = 'open' AND deleted_at IS NULL;
CREATE INDEX reminders_open_by_contact ON reminders (contact_id, due_date)
    WHERE status = 'open' AND deleted_at IS NULL;
CREATE INDEX reminders_in_trash ON reminders (deleted_at) WHERE deleted_at IS NOT NULL;

-- Snoozes, completions and dismissals: a reminder's history.
CREATE TABLE reminder_events (
    id          INTEGER PRIMARY KEY,
    reminder_id INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL CHECK (event IN ('snoozed', 'done', 'dismissed', 'reopened')),
    from_date   TEXT,
    to_date     TEXT
);
CREATE INDEX reminder_events_of_reminder ON reminder_events (reminder_id, at);

-- Text being typed (the quick note), saved as it is typed so that a crash loses nothing.
CREATE TABLE drafts (
    name       TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    cursor     INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Last interaction time ------------------------------------------------------------------
-- A contact's last_interaction_at is the newest live interaction they took part in. The
-- common case (a new interaction) only compares; everything else recomputes from the index.

CREATE TRIGGER participant_added AFTER INSERT ON interaction_participants
WHEN (SELECT deleted_at FROM interactions WHERE id = NEW.interaction_id) IS NULL
BEGIN
    UPDATE contacts SET last_interaction_at = NEW.happened_at
     WHERE id = NEW.contact_id
       AND (last_interaction_at IS NULL OR last_interaction_at < NEW.happened_at);
END;

CREATE TRIGGER participant_removed AFTER DELETE ON interaction_participants
BEGIN
    UPDATE contacts SET last_interaction_at = (
        SELECT p.happened_at FROM interaction_participants p
          JOIN interactions i ON i.id = p.interaction_id
         WHERE p.contact_id = contacts.id AND i.deleted_at IS NULL
         ORDER BY p.happened_at DESC LIMIT 1)
     WHERE id = OLD.contact_id;
END;

CREATE TRIGGER interaction_moved AFTER UPDATE OF happened_at ON interactions
WHEN NEW.happened_at IS NOT OLD.happened_at
BEGIN
    UPDATE interaction_participants SET happened_at = NEW.happened_at WHERE interaction_id = NEW.id;
    UPDATE contacts SET last_interaction_at = (
        SELECT p.happened_at FROM interaction_participants p
          JOIN interactions i ON i.id = p.interaction_id
         WHERE p.contact_id = contacts.id AND i.deleted_at IS NULL
         ORDER BY p.happened_at DESC LIMIT 1)
     WHERE id IN (SELECT contact_id FROM interaction_participants WHERE interaction_id = NEW.id);
END;

CREATE TRIGGER interaction_trashed_or_restored AFTER UPDATE OF deleted_at ON interactions
WHEN (NEW.deleted_at IS NULL) <> (OLD.deleted_at IS NULL)
BEGIN
    UPDATE contacts SET last_interaction_at = (
        SELECT p.happened_at FROM interaction_participants p
          JOIN interactions i ON i.id = p.interaction_id
         WHERE p.contact_id = contacts.id AND i.deleted_at IS NULL
         ORDER BY p.happened_at DESC LIMIT 1)
     WHERE id IN (SELECT contact_id FROM interaction_participants WHERE interaction_id = NEW.id);
END;

-- Full-text search -----------------------------------------------------------------------
-- External-content FTS5 tables: the text lives once, in the real tables; triggers keep the
-- index current. remove_diacritics lets "jose" find "José".

CREATE VIRTUAL TABLE interactions_fts USING fts5 (
    summary, body,
    content = 'interactions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO interactions_fts (rowid, summary, body) VALUES (NEW.id, NEW.summary, NEW.body);
END;
CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, summary, body)
    VALUES ('delete', OLD.id, OLD.summary, OLD.body);
END;
CREATE TRIGGER interactions_fts_update AFTER UPDATE OF summary, body ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, summary, body)
    VALUES ('delete', OLD.id, OLD.summary, OLD.body);
    INSERT INTO interactions_fts (rowid, summary, body) VALUES (NEW.id, NEW.summary, NEW.body);
END;

CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    display_name, company, notes,
    content = 'contacts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, display_name, company, notes)
    VALUES (NEW.id, NEW.display_name, NEW.company, NEW.notes);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, display_name, company, notes)
    VALUES ('delete', OLD.id, OLD.display_name, OLD.company, OLD.notes);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF display_name, company, notes ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, display_name, company, notes)
    VALUES ('delete', OLD.id, OLD.display_name, OLD.company, OLD.notes);
    INSERT INTO contacts_fts (rowid, display_name, company, notes)
    VALUES (NEW.id, NEW.display_name, NEW.company, NEW.notes);
END;
