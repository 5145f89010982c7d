-- rolo journal, schema v4: a draft belongs to the session typing it, and remembers what it
-- is for.
--
-- Two windows on one journal each have their own draft; a draft is offered to another
-- session only once its owner has gone (quit, closed, killed). A draft begun from a
-- reminder keeps the reminder, and contacts picked as "+ new contact" are created only when
-- the note is saved.

ALTER TABLE drafts ADD COLUMN owner_pid INTEGER;
ALTER TABLE drafts ADD COLUMN heartbeat_at TEXT;
ALTER TABLE drafts ADD COLUMN reminder_id INTEGER REFERENCES reminders (id) ON DELETE SET NULL;
-- Names to add as contacts on save, one per line.
ALTER TABLE drafts ADD COLUMN new_people TEXT NOT NULL DEFAULT '';
