#!/usr/bin/env python3
"""Turns the runs of benches/whole.sh into the tables of benches/RESULTS.md (between its
markers; the text around them is kept) and a plot, benches/whole.svg. Standard library only.
"""

import argparse
import datetime
import json
import math
import os
import platform
import statistics

BEGIN = "<!-- whole.sh: begin (generated; edit the text outside these markers) -->"
END = "<!-- whole.sh: end -->"

# name, what the user runs, the target, the allowed ratio to the floor
COMMANDS = [
    ("show", "`rolo show ada`", 12, 2),
    ("agenda", "`rolo agenda`", 15, 3),
    ("overdue", "`rolo list --overdue`", 15, 2),
    ("log", "`rolo log …` (follow-up, FTS, fsync)", 15, 2),
    ("search-compilers", "`rolo search compilers` (5 % of notes)", 25, 3),
    ("search-the", "`rolo search the` (in nearly all notes)", 25, 3),
]
RSS_TARGET_MB = 50


def load_runs(runs, name, size):
    with open(os.path.join(runs, f"{name}-{size}.json")) as f:
        results = {r["command"]: r for r in json.load(f)["results"]}
    with open(os.path.join(runs, f"{name}-{size}.rss")) as f:
        rss = int(f.read().split()[0])
    return results["rolo"], results["floor"], rss


def tui_runs(runs, size):
    path = os.path.join(runs, f"tui-{size}.txt")
    if not os.path.exists(path):
        return None, None
    ms, rss = [], []
    with open(path) as f:
        for line in f:
            a, b = line.split()
            ms.append(float(a))
            rss.append(int(b))
    return statistics.median(ms), max(rss)


def ms(result):
    return result["median"] * 1000


def fmt_size(n):
    return {1000: "1k", 10000: "10k", 100000: "100k", 1000000: "1M"}.get(n, str(n))


def mark(ok):
    return "✓" if ok else "✗"


def tables(args):
    sizes = [int(s) for s in args.sizes.split()]
    top = max(sizes)
    lines = []
    today = datetime.date.today().isoformat()
    lines.append(
        f"Recorded {today} by `bash benches/whole.sh` on {os.cpu_count()} cores "
        f"({platform.machine()}, {platform.system()}); load average before "
        f"{args.load_before or '?'}, after {args.load_after or '?'}. Medians of "
        f"{args.rounds} runs after 3 warm-ups (hyperfine, no shell; output to /dev/null, "
        f"tables as a terminal gets them). Floor: the sqlite3 shell ({args.sqlite}) doing the "
        f"same work on the same journal, as a process, in the same hyperfine run. Peak RSS: "
        f"`/usr/bin/time -f %M`, largest of 3."
    )
    lines.append("")
    lines.append(f"### At {fmt_size(top)} interactions, 10,000 contacts")
    lines.append("")
    lines.append(
        "| measure | median | floor (sqlite3) | ratio | target | ratio target | peak RSS | met |"
    )
    lines.append("|---|---|---|---|---|---|---|---|")
    show_floor = None
    for name, label, target, ratio_target in COMMANDS:
        rolo, floor, rss = load_runs(args.runs, name, top)
        ratio = ms(rolo) / ms(floor)
        if name == "show":
            show_floor = ms(floor)
        ok = ms(rolo) <= target and ratio <= ratio_target and rss / 1024 <= RSS_TARGET_MB
        lines.append(
            f"| {label} | {ms(rolo):.1f} ms | {ms(floor):.1f} ms | {ratio:.2f}× | ≤ {target} ms "
            f"| ≤ {ratio_target}× | {rss / 1024:.1f} MB | {mark(ok)} |"
        )
    tui_ms, tui_rss = tui_runs(args.runs, top)
    if tui_ms is not None and show_floor:
        ratio = tui_ms / show_floor
        ok = tui_ms <= 50 and ratio <= 4 and tui_rss / 1024 <= RSS_TARGET_MB
        lines.append(
            f"| TUI launch → first frame (120×40 pty) | {tui_ms:.1f} ms | show floor "
            f"{show_floor:.1f} ms | {ratio:.2f}× | ≤ 50 ms | ≤ 4× | {tui_rss / 1024:.1f} MB "
            f"| {mark(ok)} |"
        )
    if args.generator:
        seconds = float(args.generator)
        rss = int(args.generator_rss or 0) / 1024
        lines.append(
            f"| generator at 1M (`rolo demo --interactions 1000000`) | {seconds:.1f} s | — | — "
            f"| ≤ 45 s | — | {rss:.0f} MB | {mark(seconds <= 45)} |"
        )
    lines.append("")
    lines.append("### By journal size (median ms; floor in brackets; peak RSS in MB)")
    lines.append("")
    header = "| measure | " + " | ".join(fmt_size(s) for s in sizes) + " |"
    lines.append(header)
    lines.append("|---" * (len(sizes) + 1) + "|")
    for name, label, _, _ in COMMANDS:
        cells = []
        for s in sizes:
            rolo, floor, rss = load_runs(args.runs, name, s)
            cells.append(f"{ms(rolo):.1f} ({ms(floor):.1f}) · {rss / 1024:.0f} MB")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for s in sizes:
        t, r = tui_runs(args.runs, s)
        cells.append("—" if t is None else f"{t:.1f} · {r / 1024:.0f} MB")
    lines.append("| TUI first frame | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("![time against journal size](whole.svg)")
    return "\n".join(lines)


def svg(args):
    sizes = [int(s) for s in args.sizes.split()]
    series = []
    for name, label, _, _ in COMMANDS:
        series.append((name, [ms(load_runs(args.runs, name, s)[0]) for s in sizes]))
    tui = [tui_runs(args.runs, s)[0] for s in sizes]
    if all(t is not None for t in tui):
        series.append(("tui first frame", tui))
    floors = [ms(load_runs(args.runs, "show", s)[1]) for s in sizes]
    series.append(("show floor (sqlite3)", floors))
    width, height, left, right, top, bottom = 720, 420, 60, 190, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max = max(max(v for _, values in series for v in values) * 1.1, 10)
    x_lo, x_hi = math.log10(min(sizes)), math.log10(max(sizes))
    span = (x_hi - x_lo) or 1

    def x(n):
        return left + (math.log10(n) - x_lo) / span * plot_w

    def y(v):
        return top + plot_h - v / y_max * plot_h

    colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
               "#666666"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="black"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="black"/>',
    ]
    step = 10 ** math.floor(math.log10(y_max / 4)) if y_max > 4 else 1
    tick = 0.0
    while tick <= y_max:
        out.append(f'<line x1="{left - 4}" y1="{y(tick):.1f}" x2="{left + plot_w}" '
                   f'y2="{y(tick):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">'
                   f'{tick:g}</text>')
        tick += step * (2 if y_max / step > 10 else 1)
    for n in sizes:
        out.append(f'<text x="{x(n):.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
                   f'{fmt_size(n)}</text>')
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">'
               f'interactions (10,000 contacts), log scale</text>')
    out.append(f'<text x="14" y="{top + plot_h / 2}" text-anchor="middle" '
               f'transform="rotate(-90 14 {top + plot_h / 2})">median ms, whole process</text>')
    for i, (name, values) in enumerate(series):
        colour = colours[i % len(colours)]
        dash = ' stroke-dasharray="5,4"' if "floor" in name else ""
        points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in zip(sizes, values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dash}/>')
        for n, v in zip(sizes, values):
            out.append(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        ly = top + 14 + i * 18
        out.append(f'<line x1="{left + plot_w + 12}" y1="{ly - 4}" x2="{left + plot_w + 32}" '
                   f'y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{left + plot_w + 38}" y="{ly}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser()
    for option in ["runs", "sizes", "rounds", "load-before", "load-after", "generator",
                   "generator-rss", "sqlite", "results", "svg"]:
        parser.add_argument(f"--{option}", default="")
    args = parser.parse_args()
    generated = tables(args)
    text = open(args.results).read() if os.path.exists(args.results) else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        head, tail = text.rstrip() + "\n\n## Whole process\n\n", "\n"
    with open(args.results, "w") as f:
        f.write(head + BEGIN + "\n" + generated + "\n" + END + tail)
    with open(args.svg, "w") as f:
        f.write(svg(args))


if __name__ == "__main__":
    main()
