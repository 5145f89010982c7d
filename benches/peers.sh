#!/usr/bin/env bash
# Peer benchmarks (issue 12): rolo against the tools a person would otherwise use, as
# processes, on the same data, in the same hyperfine run.
#   - `rolo show NAME` vs khard `show -f NAME` (and plain `show`) on 10,000 contacts: the
#     demo journal exported as a vdir (`rolo export vcard --dir`), khard reading that vdir;
#   - `rolo search WORD` vs jrnl `-contains WORD` at 100,000 notes: the demo journal's notes
#     written in jrnl's plain-text format ("[YYYY-MM-DD HH:MM] summary\nbody\n\n").
# Writes its section between the `peers.sh` markers at the end of benches/RESULTS.md
# (appended the first time; the text outside the markers is kept).
#
#   bash benches/peers.sh                         # the recorded run (waits for a quiet machine)
#   RUNS=3 QUIET=0 bash benches/peers.sh          # a quick look
#
# khard and jrnl are installed with pip into target/bench-peers/venv (pinned below). Journals,
# the vdir and the jrnl file are built once under target/bench-peers/ (rebuilt when the schema
# or the generator changes, or after a day: the demo is anchored on today).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
WARMUP=${WARMUP:-2}
QUIET=${QUIET:-1}            # wait until the load average is below 1.5 before measuring
QUIET_WAIT=${QUIET_WAIT:-1800}
WORD=${WORD:-compilers}      # the word searched for (a small share of the notes)
KHARD_VERSION=0.22.0         # as tests/readers/requirements.txt
JRNL_VERSION=4.6
OUT=target/bench-peers
mkdir -p "$OUT/runs"

BENCH=peers.sh
# shellcheck source=benches/common.sh
source benches/common.sh
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || install python3-venv python3-pip

# The peers, in a venv of their own -------------------------------------------------------
VENV=$OUT/venv
if [ "$("$VENV/bin/python" -m pip list --disable-pip-version-check 2>/dev/null |
    awk '$1 == "khard" || $1 == "jrnl" { printf "%s=%s ", $1, $2 }')" != "jrnl=$JRNL_VERSION khard=$KHARD_VERSION " ]; then
    echo "peers.sh: installing khard $KHARD_VERSION and jrnl $JRNL_VERSION into $VENV" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "khard==$KHARD_VERSION" "jrnl==$JRNL_VERSION"
fi
KHARD=$PWD/$VENV/bin/khard
JRNL=$PWD/$VENV/bin/jrnl

# The data ---------------------------------------------------------------------------------
fresh() { [ -e "$1" ] && [ -z "$(find "$1" -maxdepth 0 -mmin +1440)" ]; }
demo() { # demo DB INTERACTIONS
    rm -f "$1" "$1-wal" "$1-shm"
    echo "peers.sh: generating $1" >&2
    "$ROLO" demo --no-open --contacts 10000 --interactions "$2" --seed 42 --db "$1" >/dev/null 2>&1
}

# 10,000 contacts as a vdir, and khard's configuration pointing at it.
CONTACTS=$PWD/$OUT/contacts-$KEY.db
VDIR=$PWD/$OUT/vdir-$KEY
if ! fresh "$CONTACTS" || ! [ -f "$VDIR/.complete" ]; then
    demo "$CONTACTS" 1000
    rm -rf "$VDIR"
    "$ROLO" --db "$CONTACTS" export vcard --dir "$VDIR" >/dev/null
    touch "$VDIR/.complete"
fi
cat >"$OUT/khard.conf" <<CONF
[addressbooks]
[[demo]]
path = $VDIR

[general]
debug = no
default_action = list
editor = true
merge_editor = true
CONF
KHARD_CONF=$PWD/$OUT/khard.conf
CARDS=$(find "$VDIR" -name '*.vcf' | wc -l)

# NAME: the first full name (by name) that occurs in exactly one card, so that neither tool
# has a choice to offer (khard would prompt; rolo would list the candidates).
NAME=${NAME:-}
if [ -z "$NAME" ]; then
    while IFS= read -r candidate; do
        if [ "$(grep -rilF --include='*.vcf' -- "$candidate" "$VDIR" | wc -l)" = 1 ]; then
            NAME=$candidate
            break
        fi
    done < <(sqlite3 "$CONTACTS" "SELECT display_name FROM contacts WHERE deleted_at IS NULL
                                   GROUP BY display_name HAVING count(*) = 1
                                   ORDER BY display_name LIMIT 200")
fi
[ -n "$NAME" ] || { echo "peers.sh: no name occurs in exactly one card" >&2; exit 1; }

# 100,000 notes as a jrnl journal, and jrnl's configuration pointing at it.
NOTES=$PWD/$OUT/notes-$KEY.db
JOURNAL=$PWD/$OUT/jrnl-$KEY.txt
if ! fresh "$NOTES" || ! [ -f "$JOURNAL" ]; then
    demo "$NOTES" 100000
    python3 - "$NOTES" "$JOURNAL.tmp" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = db.execute(
    "SELECT happened_at, summary, coalesce(body, '') FROM interactions"
    " WHERE deleted_at IS NULL ORDER BY happened_at, id")
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for happened, summary, body in rows:
        # happened_at is RFC 3339 (UTC): 2025-03-04T12:34:56Z -> [2025-03-04 12:34]
        stamp = happened[:10] + " " + happened[11:16]
        title = " ".join(summary.split())
        out.write(f"[{stamp}] {title}\n")
        if body.strip():
            out.write(body.strip() + "\n")
        out.write("\n")
PY
    mv "$JOURNAL.tmp" "$JOURNAL"
fi
cat >"$OUT/jrnl.yaml" <<YAML
colors:
  body: none
  date: none
  tags: none
  title: none
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: $JOURNAL
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: '$JRNL_VERSION'
YAML
JRNL_CONF=$PWD/$OUT/jrnl.yaml
ENTRIES=$(grep -c '^\[[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]\] ' "$JOURNAL")
# The share of notes that contain WORD (anywhere, any case: what jrnl -contains matches).
SHARE=$(sqlite3 "$NOTES" "SELECT count(*) FROM interactions WHERE deleted_at IS NULL
                           AND instr(lower(summary || ' ' || coalesce(body, '')), lower('$WORD')) > 0")

# Each command once, checked: the contact it was asked for, the notes it was asked for.
show_rolo=("$ROLO" --db "$CONTACTS" show "$NAME" --table)
show_khard_f=("$KHARD" -c "$KHARD_CONF" show -f "$NAME")
show_khard=("$KHARD" -c "$KHARD_CONF" show "$NAME")
search_rolo=("$ROLO" --db "$NOTES" search "$WORD" --table)
search_jrnl=("$JRNL" --config-file "$JRNL_CONF" -contains "$WORD")
for cmd in show_rolo show_khard_f show_khard; do
    declare -n argv=$cmd
    "${argv[@]}" </dev/null >"$OUT/$cmd.out" 2>&1 || {
        echo "peers.sh: $cmd failed:" >&2
        cat "$OUT/$cmd.out" >&2
        exit 1
    }
    grep -qF -- "$NAME" "$OUT/$cmd.out" || {
        echo "peers.sh: $cmd did not print $NAME" >&2
        exit 1
    }
    unset -n argv
done
"${search_rolo[@]}" </dev/null >"$OUT/search_rolo.out"
"${search_jrnl[@]}" </dev/null >"$OUT/search_jrnl.out" 2>"$OUT/search_jrnl.err"
JRNL_FOUND=$(grep -o '[0-9,]* entr[a-z]* found' "$OUT/search_jrnl.err" | tr -dc '0-9' || true)
[ -n "$JRNL_FOUND" ] && [ "$JRNL_FOUND" -gt 0 ] || {
    echo "peers.sh: jrnl found nothing:" >&2
    cat "$OUT/search_jrnl.err" >&2
    exit 1
}

# Measuring --------------------------------------------------------------------------------
q() { printf '%q ' "$@"; }
rss() { # rss NAME ARGV…: the largest peak RSS (kB) of 3 runs
    local name=$1 max=0 r
    shift
    for _ in 1 2 3; do
        /usr/bin/time -f "%M" -o "$OUT/rss.tmp" "$@" </dev/null >/dev/null 2>&1
        r=$(tail -1 "$OUT/rss.tmp")
        [ "$r" -gt "$max" ] && max=$r
    done
    echo "$max" >"$OUT/runs/$name.rss"
}

wait_for_quiet
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "peers.sh: show, rolo against khard (load $(load1))" >&2
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style none \
    --export-json "$OUT/runs/show.json" \
    --command-name rolo "$(q "${show_rolo[@]}")" \
    --command-name "khard -f" "$(q "${show_khard_f[@]}")" \
    --command-name khard "$(q "${show_khard[@]}")" >/dev/null
echo "peers.sh: search, rolo against jrnl (load $(load1))" >&2
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style none \
    --export-json "$OUT/runs/search.json" \
    --command-name rolo "$(q "${search_rolo[@]}")" \
    --command-name jrnl "$(q "${search_jrnl[@]}")" >/dev/null
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
rss show-rolo "${show_rolo[@]}"
rss show-khard-f "${show_khard_f[@]}"
rss show-khard "${show_khard[@]}"
rss search-rolo "${search_rolo[@]}"
rss search-jrnl "${search_jrnl[@]}"

PYVER=$("$VENV/bin/python" --version 2>&1)
COMMIT=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock || COMMIT="$COMMIT + local changes"

python3 - <<PY
import datetime, json, os, platform, re

runs = "$OUT/runs"
BEGIN, END = "<!-- peers.sh: begin -->", "<!-- peers.sh: end -->"

def medians(name):
    with open(os.path.join(runs, name + ".json")) as f:
        return {r["command"]: r["median"] * 1000 for r in json.load(f)["results"]}

def rss(name):
    with open(os.path.join(runs, name + ".rss")) as f:
        return int(f.read().split()[0]) / 1024

def fx(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"

def fms(x):
    return f"{x:,.0f} ms" if x >= 100 else f"{x:.1f} ms"

show, search = medians("show"), medians("search")
name, word = """$NAME""", "$WORD"
share, entries, cards = int("$SHARE"), int("$ENTRIES"), int("$CARDS")
rows = [
    (f'\`rolo show "{name}"\` vs \`khard show -f "{name}"\`', f"{cards:,} contacts (vdir)",
     show["rolo"], show["khard -f"], rss("show-rolo"), rss("show-khard-f"), 50),
    (f'\`rolo show "{name}"\` vs \`khard show "{name}"\` (no -f: every card parsed)',
     f"{cards:,} contacts (vdir)",
     show["rolo"], show["khard"], rss("show-rolo"), rss("show-khard"), None),
    (f"\`rolo search {word}\` vs \`jrnl -contains {word}\`", f"{entries:,} notes",
     search["rolo"], search["jrnl"], rss("search-rolo"), rss("search-jrnl"), 200),
]
today = datetime.date.today().isoformat()
out = [BEGIN, "", "## Against peers: khard and jrnl (issue 12)", ""]
out.append(
    "\`bash benches/peers.sh\` regenerates this section. It installs hyperfine (and sqlite3, "
    "\`time\`) with apt-get if missing and khard $KHARD_VERSION and jrnl $JRNL_VERSION with pip "
    "into \`target/bench-peers/venv\`, builds the release binary, and builds once under "
    "\`target/bench-peers/\`: a demo journal of 10,000 contacts (\`rolo demo --no-open "
    "--contacts 10000 --interactions 1000 --seed 42\`) exported as a vdir (\`rolo export "
    "vcard --dir\`) that khard reads, and one of 100,000 notes (\`--interactions 100000\`) "
    "whose notes are written in jrnl's plain-text format (\`[YYYY-MM-DD HH:MM] summary\`, the "
    "body, a blank line; unencrypted). The name is the first full name that occurs in exactly "
    "one card, so neither tool has a choice to offer. Then it waits for the load average to "
    "drop below 1.5 (at most \`QUIET_WAIT\` seconds) and times each pair in one hyperfine run."
)
out.append("")
out.append(
    f"Recorded {today} by \`bash benches/peers.sh\` on {os.cpu_count()} cores "
    f"({platform.machine()}, {platform.system()}); load average before $LOAD_BEFORE, after "
    f"$LOAD_AFTER. Medians of $RUNS runs after $WARMUP warm-ups (hyperfine -N, no shell; "
    f"output to /dev/null; rolo with \`--table\`). rolo at $COMMIT, khard $KHARD_VERSION, "
    f"jrnl $JRNL_VERSION ($PYVER in the venv). Peak RSS: \`/usr/bin/time -f %M\`, largest "
    f"of 3."
)
out.append("")
out.append("| comparison | data | rolo | peer | rolo faster by | target | met | peak RSS rolo / peer |")
out.append("|---|---|---|---|---|---|---|---|")
for what, data, r, p, rr, pr, target in rows:
    ratio = p / r
    t = f"≥ {target}×" if target else "—"
    met = ("✓" if ratio >= target else "✗") if target else "—"
    out.append(f"| {what} | {data} | {fms(r)} | {fms(p)} | {fx(ratio)}× | {t} | {met} "
               f"| {rr:.1f} MB / {pr:.1f} MB |")
out.append("")
out.append(
    f"- **{word}** occurs in {share:,} of {entries:,} notes ({100 * share / entries:.1f} %: "
    f"summary or body, any case); jrnl found {int('$JRNL_FOUND'):,} entries. rolo prints its ranked "
    f"page of hits (FTS5, words), jrnl every matching entry (substring), which is what each "
    f"tool does when a person asks it."
)
out.append(
    "- khard's \`-f\` greps the .vcf files for the search terms and parses only the cards "
    "that match; without it khard parses all cards first. The target applies to \`-f\`, its "
    "fast path."
)
out.append("")
out.append(END)
section = "\n".join(out) + "\n"

path = "benches/RESULTS.md"
with open(path, encoding="utf-8") as f:
    text = f.read()
if BEGIN in text and END in text:
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1].lstrip("\n")
    text = head + section + tail
else:
    text = text.rstrip("\n") + "\n\n" + section
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
PY
echo "peers.sh: wrote the peers section of benches/RESULTS.md" >&2
