#!/usr/bin/env bash
# Whole-process benchmarks: rolo as a person runs it — process start, open, query, format,
# print, exit — against the sqlite3 shell doing the same work on the same journal (the
# floor), at 1k, 10k, 100k and 1M interactions (10,000 contacts, `rolo demo --seed 42`);
# the TUI's first frame on a pseudo-terminal; peak RSS; the demo generator at 1M.
# Writes the tables between the markers in benches/RESULTS.md, and benches/whole.svg.
#
#   bash benches/whole.sh                       # the recorded run (waits for a quiet machine)
#   SIZES="1000 10000" RUNS=5 QUIET=0 bash benches/whole.sh    # a quick look
#
# Journals are built once and kept under target/bench-whole/ (rebuilt when the schema or
# the generator changes, or after a day: the demo is anchored on today).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000 1000000"}
RUNS=${RUNS:-9}
QUIET=${QUIET:-1}            # wait until the load average is below 1.5 before measuring
QUIET_WAIT=${QUIET_WAIT:-1800}
GENERATOR=${GENERATOR:-1}    # time the demo generator at 1M
OUT=target/bench-whole
mkdir -p "$OUT/runs" "$OUT/sql"

BENCH=whole.sh
# shellcheck source=benches/common.sh
source benches/common.sh

# The journals ------------------------------------------------------------------------------
journal() { echo "$OUT/journal-$1-$KEY.db"; }
for n in $SIZES; do
    j=$(journal "$n")
    if [ -f "$j" ] && [ -z "$(find "$j" -mmin +1440)" ]; then continue; fi
    rm -f "$j" "$j-wal" "$j-shm"
    echo "whole.sh: generating $j" >&2
    "$ROLO" demo --no-open --contacts 10000 --interactions "$n" --seed 42 --db "$j" >/dev/null 2>&1
done

GEN_SECONDS="" GEN_RSS=""
if [ "$GENERATOR" = 1 ]; then
    wait_for_quiet
    scratch="$OUT/generator.db"
    rm -f "$scratch" "$scratch-wal" "$scratch-shm"
    echo "whole.sh: timing the generator at 1M" >&2
    /usr/bin/time -f "%e %M" -o "$OUT/generator.time" \
        "$ROLO" demo --no-open --contacts 10000 --interactions 1000000 --seed 42 --db "$scratch" \
        >/dev/null 2>&1
    read -r GEN_SECONDS GEN_RSS <"$OUT/generator.time"
    rm -f "$scratch" "$scratch-wal" "$scratch-shm"
fi

# The floors: the same work done by the sqlite3 shell ---------------------------------------
# Each scan of the contacts names its best plan: left to itself, the shell's planner walks
# the small `contacts_live` index (migration 0010) and looks every row up, which made the
# floors two to three times slower than they need be.
# A cadence as an SQLite date modifier ("30d" -> "+30 days", "2w" -> "+14 days", "3m").
DUE="date(coalesce(last_interaction_at, created_at), '+' ||
      (CAST(substr(cadence, 1, length(cadence) - 1) AS INTEGER)
         * CASE substr(cadence, -1) WHEN 'w' THEN 7 ELSE 1 END) ||
      CASE substr(cadence, -1) WHEN 'm' THEN ' months' WHEN 'y' THEN ' years' ELSE ' days' END)"
TODAY="date('now', 'localtime')"
LIVE="r.status = 'open' AND r.deleted_at IS NULL AND (r.contact_id IS NULL OR c.deleted_at IS NULL)"

cat >"$OUT/sql/show.sql" <<SQL
CREATE TEMP TABLE pick AS SELECT id FROM contacts NOT INDEXED
 WHERE deleted_at IS NULL
   AND (' ' || lower(display_name) || ' ' || lower(coalesce(nickname, ''))) LIKE '% ada%' LIMIT 1;
SELECT c.*,
       (SELECT group_concat(kind || ' ' || label || ' ' || value, '; ') FROM contact_fields f WHERE f.contact_id = c.id),
       (SELECT group_concat(tag, ' ') FROM contact_tags t WHERE t.contact_id = c.id)
  FROM contacts c WHERE c.id = (SELECT id FROM pick);
SELECT count(*) FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
 WHERE p.contact_id = (SELECT id FROM pick) AND i.deleted_at IS NULL;
SELECT i.id, i.happened_at, i.kind, i.summary,
       (SELECT group_concat(c.display_name, ', ') FROM interaction_participants q JOIN contacts c ON c.id = q.contact_id
         WHERE q.interaction_id = i.id),
       (SELECT group_concat(tag, ' ') FROM interaction_tags t WHERE t.interaction_id = i.id)
  FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
 WHERE p.contact_id = (SELECT id FROM pick) AND i.deleted_at IS NULL
 ORDER BY p.happened_at DESC, p.interaction_id DESC LIMIT 10;
SELECT id, due_date, title FROM reminders
 WHERE contact_id = (SELECT id FROM pick) AND status = 'open' AND deleted_at IS NULL ORDER BY due_date;
SQL

{
    echo "SELECT CASE WHEN due_date < $TODAY THEN 'overdue' ELSE due_date END, count(*) FROM reminders r
           LEFT JOIN contacts c ON c.id = r.contact_id
          WHERE $LIVE AND r.due_date <= date('now', 'localtime', '+7 days') GROUP BY 1;"
    echo "SELECT r.id, r.title, c.display_name, r.due_date FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id
          WHERE $LIVE AND r.due_date < $TODAY ORDER BY r.due_date, r.id LIMIT 10;"
    for d in 0 1 2 3 4 5 6 7; do
        echo "SELECT r.id, r.title, c.display_name FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id
              WHERE $LIVE AND r.due_date = date('now', 'localtime', '+$d days') ORDER BY r.id LIMIT 10;"
    done
    echo "SELECT id, display_name, cadence, due FROM (
            SELECT id, display_name, cadence, $DUE AS due FROM contacts INDEXED BY contacts_with_cadence
             WHERE cadence IS NOT NULL AND deleted_at IS NULL AND archived = 0)
          WHERE due <= date('now', 'localtime', '+7 days') ORDER BY due;"
    echo "SELECT id, display_name, birthday, anniversary FROM contacts INDEXED BY contacts_with_dates
          WHERE (birthday IS NOT NULL OR anniversary IS NOT NULL) AND deleted_at IS NULL AND archived = 0
            AND (substr(birthday, -5) BETWEEN strftime('%m-%d', 'now', 'localtime')
                                          AND strftime('%m-%d', 'now', 'localtime', '+7 days')
              OR substr(anniversary, -5) BETWEEN strftime('%m-%d', 'now', 'localtime')
                                             AND strftime('%m-%d', 'now', 'localtime', '+7 days'));"
} >"$OUT/sql/agenda.sql"

cat >"$OUT/sql/overdue.sql" <<SQL
SELECT c.id, c.display_name, c.company, c.last_interaction_at,
       (SELECT group_concat('#' || tag, ' ') FROM contact_tags t WHERE t.contact_id = c.id)
  FROM contacts c INDEXED BY contacts_with_cadence
 WHERE c.cadence IS NOT NULL AND c.deleted_at IS NULL AND c.archived = 0
   AND $(echo "$DUE" | sed 's/last_interaction_at/c.last_interaction_at/; s/created_at/c.created_at/') < $TODAY
 ORDER BY c.display_name;
SQL

NOW="strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
cat >"$OUT/sql/log.sql" <<SQL
PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
INSERT INTO interactions (uid, happened_at, kind, summary, created_at, updated_at)
VALUES (lower(hex(randomblob(16))), $NOW, 'meal', 'coffee with Ada talked about the conference', $NOW, $NOW);
INSERT INTO interaction_participants (interaction_id, contact_id, position, happened_at)
VALUES (last_insert_rowid(), (SELECT id FROM contacts WHERE display_name = 'Ada Lovelace' AND deleted_at IS NULL), 0, $NOW);
INSERT INTO reminders (uid, title, contact_id, due_date, source, interaction_id, created_at, updated_at)
VALUES (lower(hex(randomblob(16))), 'send the slides',
        (SELECT id FROM contacts WHERE display_name = 'Ada Lovelace' AND deleted_at IS NULL),
        date('now', '+14 days'), 'follow-up', (SELECT max(id) FROM interactions), $NOW, $NOW);
COMMIT;
SQL

for word in compilers the; do
    cat >"$OUT/sql/search-$word.sql" <<SQL
SELECT i.id, i.happened_at, i.summary, i.body, i.tags
  FROM interactions_fts JOIN interactions i ON i.id = interactions_fts.rowid
 WHERE interactions_fts MATCH '"$word"' AND i.deleted_at IS NULL
 ORDER BY interactions_fts.rowid DESC LIMIT 1000;
SELECT snippet(interactions_fts, -1, '[', ']', '…', 12),
       (SELECT group_concat(c.display_name, ', ') FROM interaction_participants p JOIN contacts c ON c.id = p.contact_id
         WHERE p.interaction_id = interactions_fts.rowid)
  FROM interactions_fts WHERE interactions_fts MATCH '"$word"' ORDER BY rowid DESC LIMIT 20;
SELECT c.id, c.display_name, snippet(contacts_fts, -1, '[', ']', '…', 12)
  FROM contacts_fts JOIN contacts c ON c.id = contacts_fts.rowid
 WHERE contacts_fts MATCH '"$word"*' AND c.deleted_at IS NULL ORDER BY rank LIMIT 20;
SQL
done

# Measuring ----------------------------------------------------------------------------------
LOAD_BEFORE=""
wait_for_quiet
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
NAMES=(show agenda overdue log search-compilers search-the)
for n in $SIZES; do
    j=$(journal "$n")
    w="$OUT/log-$n.db"
    rm -f "$w" "$w-wal" "$w-shm"
    cp "$j" "$w"
    [ -f "$j-wal" ] && cp "$j-wal" "$w-wal"
    fw="$OUT/floor-log-$n.db"
    rm -f "$fw" "$fw-wal" "$fw-shm"
    cp "$w" "$fw"
    [ -f "$w-wal" ] && cp "$w-wal" "$fw-wal"
    echo "whole.sh: measuring at $n interactions (load $(load1))" >&2
    rolo_cmds=(
        "$ROLO --db $j show ada --table"
        "$ROLO --db $j agenda --table"
        "$ROLO --db $j list --overdue --table"
        "$ROLO --db $w log 'coffee with @ada talked about the conference !2w send the slides' --table"
        "$ROLO --db $j search compilers --table"
        "$ROLO --db $j search the --table"
    )
    floor_cmds=(
        "sqlite3 $j .read\ $OUT/sql/show.sql"
        "sqlite3 $j .read\ $OUT/sql/agenda.sql"
        "sqlite3 $j .read\ $OUT/sql/overdue.sql"
        "sqlite3 $fw .read\ $OUT/sql/log.sql"
        "sqlite3 $j .read\ $OUT/sql/search-compilers.sql"
        "sqlite3 $j .read\ $OUT/sql/search-the.sql"
    )
    for i in "${!NAMES[@]}"; do
        name=${NAMES[$i]}
        # Same run, interleaved per command: rolo, then its floor, under the same load.
        hyperfine --shell=none --warmup 3 --runs "$RUNS" --style none \
            --export-json "$OUT/runs/$name-$n.json" \
            --command-name rolo "${rolo_cmds[$i]}" \
            --command-name floor "${floor_cmds[$i]}" >/dev/null
        rss=0
        for _ in 1 2 3; do
            # shellcheck disable=SC2086
            /usr/bin/time -f "%M" -o "$OUT/rss.tmp" bash -c "${rolo_cmds[$i]} >/dev/null"
            r=$(tail -1 "$OUT/rss.tmp")
            [ "$r" -gt "$rss" ] && rss=$r
        done
        echo "$rss" >"$OUT/runs/$name-$n.rss"
    done
    python3 benches/first_frame.py "$ROLO" "$j" "$RUNS" >"$OUT/runs/tui-$n.txt"
    echo "$(load1)" >"$OUT/runs/load-$n.txt"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

python3 benches/whole_report.py \
    --runs "$OUT/runs" --sizes "$SIZES" --rounds "$RUNS" \
    --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER" \
    --generator "$GEN_SECONDS" --generator-rss "$GEN_RSS" \
    --sqlite "$(sqlite3 --version | cut -d' ' -f1)" \
    --results benches/RESULTS.md --svg benches/whole.svg
echo "whole.sh: wrote benches/RESULTS.md and benches/whole.svg" >&2
