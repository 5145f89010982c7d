-- rolo journal, schema v6 (0006; 0003 is sync's): search that finds tags, and the indexes
-- that let a large journal answer by reading what it prints.
--
-- Every statement here stays within what SQLite 3.40 parses: other tools (the sqlite3 shell
-- of an older distribution) must still be able to open and write the journal.

-- Interaction tags, searchable ------------------------------------------------------------
-- `rolo search mentoring` finds notes tagged #mentoring. The search index reads an
-- interaction's tags from this derived column: its tags in byte order, space-separated,
-- NULL when it has none. The triggers below keep it exact; writers may set it directly when
-- they insert (the store does, so that a new note is indexed once, not once per tag).
ALTER TABLE interactions ADD COLUMN tags TEXT;

DROP TRIGGER interactions_fts_insert;
DROP TRIGGER interactions_fts_delete;
DROP TRIGGER interactions_fts_update;
DROP TABLE interactions_fts;

UPDATE interactions SET tags = (
    SELECT group_concat(tag, ' ') FROM (
        SELECT tag FROM interaction_tags t WHERE t.interaction_id = interactions.id ORDER BY tag))
 WHERE id IN (SELECT interaction_id FROM interaction_tags);

-- External content, as before; columnsize=0 because rolo ranks notes itself (bm25 over the
-- newest matches, see store/search.rs) and never asks FTS5 for document lengths.
CREATE VIRTUAL TABLE interactions_fts USING fts5 (
    summary, body, tags,
    content = 'interactions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    columnsize = 0
);
INSERT INTO interactions_fts (interactions_fts) VALUES ('rebuild');

CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO interactions_fts (rowid, summary, body, tags)
    VALUES (NEW.id, NEW.summary, NEW.body, NEW.tags);
END;
CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, summary, body, tags)
    VALUES ('delete', OLD.id, OLD.summary, OLD.body, OLD.tags);
END;
CREATE TRIGGER interactions_fts_update AFTER UPDATE OF summary, body, tags ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, summary, body, tags)
    VALUES ('delete', OLD.id, OLD.summary, OLD.body, OLD.tags);
    INSERT INTO interactions_fts (rowid, summary, body, tags)
    VALUES (NEW.id, NEW.summary, NEW.body, NEW.tags);
END;

-- A tag added that the column does not list yet (a writer that did not set it, an edit):
-- recompute. A tag the insert already listed changes nothing and reindexes nothing.
CREATE TRIGGER interaction_tag_added AFTER INSERT ON interaction_tags
WHEN (SELECT instr(' ' || coalesce(i.tags, '') || ' ', ' ' || NEW.tag || ' ')
        FROM interactions i WHERE i.id = NEW.interaction_id) = 0
BEGIN
    UPDATE interactions SET tags = (
        SELECT group_concat(tag, ' ') FROM (
            SELECT tag FROM interaction_tags t WHERE t.interaction_id = NEW.interaction_id ORDER BY tag))
     WHERE id = NEW.interaction_id;
END;
CREATE TRIGGER interaction_tag_removed AFTER DELETE ON interaction_tags BEGIN
    UPDATE interactions SET tags = (
        SELECT group_concat(tag, ' ') FROM (
            SELECT tag FROM interaction_tags t WHERE t.interaction_id = OLD.interaction_id ORDER BY tag))
     WHERE id = OLD.interaction_id;
END;

-- Timeline by kind --------------------------------------------------------------------------
-- "All milestones this month": everyone's timeline of one kind is an index walk.
CREATE INDEX interactions_by_kind ON interactions (kind, happened_at DESC, id DESC)
    WHERE deleted_at IS NULL;

-- Reading from an index alone ---------------------------------------------------------------
-- SQLite counts a partial index as covering only if it also holds the columns its WHERE
-- clause names, so those are listed as (otherwise idle) trailing columns below.

-- Open reminders by due date with whom they are for: counting the open reminders of each day
-- (those of trashed contacts left out) reads this index alone, and the first rows of a day
-- are an index walk in (due date, id) order.
DROP INDEX reminders_open_by_due;
CREATE INDEX reminders_open_by_due ON reminders (due_date, id, contact_id, status, deleted_at)
    WHERE status = 'open' AND deleted_at IS NULL;

-- Everything the agenda computes stay-in-touch and date rows from, without reading contacts:
-- the two partial indexes of v1, now covering what those rows need.
DROP INDEX contacts_with_cadence;
CREATE INDEX contacts_with_cadence ON contacts
    (id, display_name, cadence, last_interaction_at, created_at, archived, deleted_at)
    WHERE cadence IS NOT NULL AND deleted_at IS NULL;
DROP INDEX contacts_with_dates;
CREATE INDEX contacts_with_dates ON contacts
    (id, display_name, birthday, anniversary, archived, deleted_at)
    WHERE (birthday IS NOT NULL OR anniversary IS NOT NULL) AND deleted_at IS NULL;

-- Resolving a name (`show ada`, `@ada`) reads every live name and nickname: from here, not
-- from the contacts' rows. The `display_name <> ''` (always true) keeps the index to the
-- query that says it, so that no other query of live contacts is planned onto it.
CREATE INDEX contacts_names ON contacts (display_name, nickname, deleted_at)
    WHERE deleted_at IS NULL AND display_name <> '';
