-- A recurring reminder's anchor: the date its series started on, from which every occurrence
-- is counted, so that "monthly from Jan 31" comes back on the 31st after February and a
-- snooze never moves the series. NULL while the due date still is the anchor (a reminder
-- that has not rolled forward or been snoozed, or one whose date was set by hand).
-- (Numbered 0005 on the interop branch; 0002–0004 are taken elsewhere. Renumber on merge.)
ALTER TABLE reminders ADD COLUMN anchor_date TEXT;
