-- rolo journal, schema v9: sync's change marks without OR IGNORE.
--
-- The triggers of 0003 marked a changed record with INSERT OR IGNORE. A trigger's own
-- conflict clause gives way to that of the statement that fired it, and a foreign key's
-- ON DELETE action fires as a statement that aborts on conflict: emptying the trash of a
-- note whose follow-up was already marked (ON DELETE SET NULL), or of a person who took
-- part in a marked note (ON DELETE CASCADE), failed with 'UNIQUE constraint failed:
-- sync_changed'. The same triggers, marking only what is not marked yet, so no conflict
-- can arise whatever fired them.

DROP TRIGGER sync_contact_inserted;
CREATE TRIGGER sync_contact_inserted AFTER INSERT ON contacts
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid) SELECT 'contacts', NEW.uid
      WHERE NOT EXISTS (SELECT 1 FROM sync_changed WHERE kind = 'contacts' AND uid = NEW.uid); END;

DROP TRIGGER sync_contact_updated;
CREATE TRIGGER sync_contact_updated AFTER UPDATE OF
    uid, display_name, name_family, name_given, name_additional, name_prefix, name_suffix,
    nickname, company, title, birthday, anniversary, met_text, met_date, met_introduced_by,
    notes, cadence, archived, vcard_extra, created_at, updated_at, deleted_at ON contacts
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid) SELECT 'contacts', NEW.uid
      WHERE NOT EXISTS (SELECT 1 FROM sync_changed WHERE kind = 'contacts' AND uid = NEW.uid); END;

DROP TRIGGER sync_contact_field_added;
CREATE TRIGGER sync_contact_field_added AFTER INSERT ON contact_fields
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'contacts', r.uid FROM contacts r WHERE r.id = NEW.contact_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'contacts' AND c.uid = r.uid); END;

DROP TRIGGER sync_contact_field_removed;
CREATE TRIGGER sync_contact_field_removed AFTER DELETE ON contact_fields
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'contacts', r.uid FROM contacts r WHERE r.id = OLD.contact_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'contacts' AND c.uid = r.uid); END;

DROP TRIGGER sync_contact_field_changed;
CREATE TRIGGER sync_contact_field_changed AFTER UPDATE ON contact_fields
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'contacts', r.uid FROM contacts r WHERE r.id = NEW.contact_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'contacts' AND c.uid = r.uid); END;

DROP TRIGGER sync_contact_tag_added;
CREATE TRIGGER sync_contact_tag_added AFTER INSERT ON contact_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'contacts', r.uid FROM contacts r WHERE r.id = NEW.contact_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'contacts' AND c.uid = r.uid); END;

DROP TRIGGER sync_contact_tag_removed;
CREATE TRIGGER sync_contact_tag_removed AFTER DELETE ON contact_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'contacts', r.uid FROM contacts r WHERE r.id = OLD.contact_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'contacts' AND c.uid = r.uid); END;

DROP TRIGGER sync_interaction_inserted;
CREATE TRIGGER sync_interaction_inserted AFTER INSERT ON interactions
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid) SELECT 'interactions', NEW.uid
      WHERE NOT EXISTS (SELECT 1 FROM sync_changed WHERE kind = 'interactions' AND uid = NEW.uid); END;

DROP TRIGGER sync_interaction_updated;
CREATE TRIGGER sync_interaction_updated AFTER UPDATE ON interactions
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid) SELECT 'interactions', NEW.uid
      WHERE NOT EXISTS (SELECT 1 FROM sync_changed WHERE kind = 'interactions' AND uid = NEW.uid); END;

DROP TRIGGER sync_participant_added;
CREATE TRIGGER sync_participant_added AFTER INSERT ON interaction_participants
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'interactions', r.uid FROM interactions r WHERE r.id = NEW.interaction_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'interactions' AND c.uid = r.uid); END;

DROP TRIGGER sync_participant_removed;
CREATE TRIGGER sync_participant_removed AFTER DELETE ON interaction_participants
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'interactions', r.uid FROM interactions r WHERE r.id = OLD.interaction_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'interactions' AND c.uid = r.uid); END;

DROP TRIGGER sync_interaction_tag_added;
CREATE TRIGGER sync_interaction_tag_added AFTER INSERT ON interaction_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'interactions', r.uid FROM interactions r WHERE r.id = NEW.interaction_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'interactions' AND c.uid = r.uid); END;

DROP TRIGGER sync_interaction_tag_removed;
CREATE TRIGGER sync_interaction_tag_removed AFTER DELETE ON interaction_tags
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'interactions', r.uid FROM interactions r WHERE r.id = OLD.interaction_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'interactions' AND c.uid = r.uid); END;

DROP TRIGGER sync_reminder_inserted;
CREATE TRIGGER sync_reminder_inserted AFTER INSERT ON reminders
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid) SELECT 'reminders', NEW.uid
      WHERE NOT EXISTS (SELECT 1 FROM sync_changed WHERE kind = 'reminders' AND uid = NEW.uid); END;

DROP TRIGGER sync_reminder_updated;
CREATE TRIGGER sync_reminder_updated AFTER UPDATE ON reminders
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid) SELECT 'reminders', NEW.uid
      WHERE NOT EXISTS (SELECT 1 FROM sync_changed WHERE kind = 'reminders' AND uid = NEW.uid); END;

DROP TRIGGER sync_reminder_event_added;
CREATE TRIGGER sync_reminder_event_added AFTER INSERT ON reminder_events
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'reminders', r.uid FROM reminders r WHERE r.id = NEW.reminder_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'reminders' AND c.uid = r.uid); END;

DROP TRIGGER sync_reminder_event_removed;
CREATE TRIGGER sync_reminder_event_removed AFTER DELETE ON reminder_events
WHEN EXISTS (SELECT 1 FROM sync_collections)
BEGIN INSERT INTO sync_changed (kind, uid)
      SELECT 'reminders', r.uid FROM reminders r WHERE r.id = OLD.reminder_id
         AND NOT EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = 'reminders' AND c.uid = r.uid); END;
