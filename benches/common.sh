# What the whole-process benchmark scripts share (sourced by whole.sh and peers.sh, from the
# repository's root): the tools they need, installed with apt-get when missing; a wait for a
# quiet machine; the release binary; the key that names journals built for this schema and
# generator. Set BENCH (the script's name, for messages), QUIET and QUIET_WAIT first.

need() { command -v "$1" >/dev/null 2>&1; }
install() {
    local packages=("$@")
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y "${packages[@]}" >/dev/null 2>&1 || {
            apt-get update >/dev/null 2>&1
            apt-get install -y "${packages[@]}" >/dev/null
        }
    else
        sudo apt-get install -y "${packages[@]}" >/dev/null
    fi
}
need hyperfine || install hyperfine
need sqlite3 || install sqlite3
[ -x /usr/bin/time ] || install time
need python3 || install python3

load1() { cut -d' ' -f1 /proc/loadavg; }
# Waits (QUIET=1) until the 1-minute load average is below 1.5, at most QUIET_WAIT seconds;
# then measures anyway, and the load is recorded with the figures.
wait_for_quiet() {
    [ "$QUIET" = 1 ] || return 0
    local waited=0
    while awk -v load="$(load1)" 'BEGIN { exit !(load >= 1.5) }'; do
        if [ "$waited" -ge "$QUIET_WAIT" ]; then
            echo "$BENCH: load $(load1) after ${waited}s; measuring anyway (recorded)" >&2
            return 0
        fi
        [ "$waited" = 0 ] && echo "$BENCH: load average $(load1); waiting for < 1.5" >&2
        sleep 30
        waited=$((waited + 30))
    done
}

# Journals are named by what makes them: the schema, the generator and its data.
KEY=$(cat src/store/migrations/*.sql src/journal/demo.rs assets/demo/* | sha256sum | cut -c1-12)

echo "$BENCH: building the release binary" >&2
cargo build --release --locked --quiet
ROLO=$PWD/target/release/rolo
