-- rolo journal, schema v2: which kinds of interaction count as being in touch.
--
-- A milestone (their promotion, their move) is news about a person, not a conversation
-- with them: it belongs on their timeline but does not reset the stay-in-touch clock.
-- Which kinds count is data, not code: a kind missing from this table counts.

CREATE TABLE interaction_kinds (
    name              TEXT PRIMARY KEY,
    counts_as_contact INTEGER NOT NULL DEFAULT 1 CHECK (counts_as_contact IN (0, 1))
) WITHOUT ROWID;
INSERT INTO interaction_kinds (name, counts_as_contact) VALUES
    ('in-person', 1), ('meeting', 1), ('meal', 1), ('call', 1), ('video', 1), ('email', 1),
    ('message', 1), ('event', 1), ('note', 1), ('milestone', 0);

-- The moments that count as contact: live interactions of a counting kind, per person.
-- The one definition the triggers, `rolo check` and `--repair` all use.
CREATE VIEW contact_moments AS
SELECT p.contact_id, p.happened_at, p.interaction_id
  FROM interaction_participants p
  JOIN interactions i ON i.id = p.interaction_id
 WHERE i.deleted_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM interaction_kinds k WHERE k.name = i.kind AND k.counts_as_contact = 0);

DROP TRIGGER participant_added;
DROP TRIGGER participant_removed;
DROP TRIGGER interaction_moved;
DROP TRIGGER interaction_trashed_or_restored;

CREATE TRIGGER participant_added AFTER INSERT ON interaction_participants
WHEN EXISTS (SELECT 1 FROM contact_moments m
              WHERE m.interaction_id = NEW.interaction_id AND m.contact_id = NEW.contact_id)
BEGIN
    UPDATE contacts SET last_interaction_at = NEW.happened_at
     WHERE id = NEW.contact_id
       AND (last_interaction_at IS NULL OR last_interaction_at < NEW.happened_at);
END;

CREATE TRIGGER participant_removed AFTER DELETE ON interaction_participants
BEGIN
    UPDATE contacts SET last_interaction_at = (
        SELECT m.happened_at FROM contact_moments m
         WHERE m.contact_id = contacts.id ORDER BY m.happened_at DESC LIMIT 1)
     WHERE id = OLD.contact_id;
END;

CREATE TRIGGER interaction_moved AFTER UPDATE OF happened_at ON interactions
WHEN NEW.happened_at IS NOT OLD.happened_at
BEGIN
    UPDATE interaction_participants SET happened_at = NEW.happened_at WHERE interaction_id = NEW.id;
    UPDATE contacts SET last_interaction_at = (
        SELECT m.happened_at FROM contact_moments m
         WHERE m.contact_id = contacts.id ORDER BY m.happened_at DESC LIMIT 1)
     WHERE id IN (SELECT contact_id FROM interaction_participants WHERE interaction_id = NEW.id);
END;

-- Trashed, restored, or its kind changed: everyone in it is recomputed.
CREATE TRIGGER interaction_trashed_or_restored AFTER UPDATE OF deleted_at ON interactions
WHEN (NEW.deleted_at IS NULL) <> (OLD.deleted_at IS NULL)
BEGIN
    UPDATE contacts SET last_interaction_at = (
        SELECT m.happened_at FROM contact_moments m
         WHERE m.contact_id = contacts.id ORDER BY m.happened_at DESC LIMIT 1)
     WHERE id IN (SELECT contact_id FROM interaction_participants WHERE interaction_id = NEW.id);
END;

CREATE TRIGGER interaction_kind_changed AFTER UPDATE OF kind ON interactions
WHEN NEW.kind IS NOT OLD.kind
BEGIN
    UPDATE contacts SET last_interaction_at = (
        SELECT m.happened_at FROM contact_moments m
         WHERE m.contact_id = contacts.id ORDER BY m.happened_at DESC LIMIT 1)
     WHERE id IN (SELECT contact_id FROM interaction_participants WHERE interaction_id = NEW.id);
END;

-- Milestones stop counting now, for the whole journal.
UPDATE contacts SET last_interaction_at = (
    SELECT m.happened_at FROM contact_moments m
     WHERE m.contact_id = contacts.id ORDER BY m.happened_at DESC LIMIT 1);
