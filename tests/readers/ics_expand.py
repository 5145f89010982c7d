#!/usr/bin/env python3
"""Expands every recurring component of an .ics with recurring-ical-events (python-dateutil
underneath, as khal-like tools and many web apps do) and with vobject's rruleset; prints, per
UID, the first N start dates each reader gives. A moved occurrence (a second component with
the same UID and a RECURRENCE-ID, RFC 5545 §3.8.4.4) is applied as each reader's users apply
it: recurring-ical-events does it itself; with vobject the occurrence it names is replaced by
the override's start, as khal and other vobject users do by hand.

    python ics_expand.py FILE N > dates.json
"""
import datetime as dt
import json
import sys

import icalendar
import recurring_ical_events
import vobject


def day(x):
    return (x.date() if isinstance(x, dt.datetime) else x).isoformat()


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    text = open(path, newline="", encoding="utf-8").read()
    cal = icalendar.Calendar.from_ical(text)
    out = {}
    by_uid = {}
    for comp in cal.walk():
        if comp.name in ("VTODO", "VEVENT"):
            by_uid.setdefault(str(comp["UID"]), []).append(comp)
    for comp in cal.walk():
        if comp.name not in ("VTODO", "VEVENT") or "RRULE" not in comp:
            continue
        uid = str(comp["UID"])
        one = icalendar.Calendar()
        for part in by_uid[uid]:
            one.add_component(part)
        dates = []
        for occ in recurring_ical_events.of(one, components=[comp.name]).after(dt.date(1900, 1, 1)):
            dates.append(day(occ["DTSTART"].dt))
            if len(dates) >= n:
                break
        out.setdefault(uid, {})["rie"] = sorted(dates)
    children = list(vobject.readOne(text).getChildren())
    moved = {}
    for comp in children:
        if comp.name in ("VTODO", "VEVENT") and hasattr(comp, "recurrence_id"):
            moved.setdefault(comp.uid.value, {})[day(comp.recurrence_id.value)] = day(comp.dtstart.value)
    for comp in children:
        if comp.name not in ("VTODO", "VEVENT") or not hasattr(comp, "rrule"):
            continue
        overrides = moved.get(comp.uid.value, {})
        dates = []
        for occ in comp.getrruleset(addRDate=True):
            dates.append(overrides.get(day(occ), day(occ)))
            if len(dates) >= n:
                break
        out.setdefault(comp.uid.value, {})["vobject"] = sorted(dates)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
