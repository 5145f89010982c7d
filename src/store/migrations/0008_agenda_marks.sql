-- rolo journal, schema: what the user did about a contact's recurring occasions.
--
-- A lapsed stay-in-touch cadence can be put off, a birthday or anniversary acknowledged
-- ("wished them") or put off, as a reminder can. One mark per contact and occasion: the
-- occurrence it is about (the date the occasion fell on) and, when put off, the date it
-- moves to. A mark whose occurrence is no longer the occasion's (they were logged, a year
-- went by) is simply ignored, so nothing has to clear it.

CREATE TABLE agenda_marks (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    occasion   TEXT NOT NULL CHECK (occasion IN ('keep-in-touch', 'birthday', 'anniversary')),
    occurrence TEXT NOT NULL,   -- YYYY-MM-DD
    until      TEXT,            -- YYYY-MM-DD; NULL: acknowledged
    PRIMARY KEY (contact_id, occasion)
) WITHOUT ROWID;
