-- rolo journal, schema v10: the contacts pane's count read from an index.
--
-- The TUI's first frame shows a screenful of contacts and how many there are. Counting the
-- live, unarchived contacts walked an index in name order and looked up every row for its
-- archived flag: 10,000 table look-ups, half the first frame at 10,000 contacts. This index
-- holds every column the count reads (a partial index covers a query only when it also lists
-- the columns of its own WHERE), so the count never touches the table.

CREATE INDEX contacts_live ON contacts (archived, cadence, deleted_at) WHERE deleted_at IS NULL;
