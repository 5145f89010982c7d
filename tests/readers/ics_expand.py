#!/usr/bin/env python3
"""Expands every recurring component of an .ics with recurring-ical-events (python-dateutil
underneath, as khal-like tools and many web apps do) and with vobject's rruleset; prints, per
UID, the first N start dates each reader gives.

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
    for comp in cal.walk():
        if comp.name not in ("VTODO", "VEVENT") or "RRULE" not in comp:
            continue
        uid = str(comp["UID"])
        one = icalendar.Calendar()
        one.add_component(comp)
        dates = []
        for occ in recurring_ical_events.of(one, components=[comp.name]).after(dt.date(1900, 1, 1)):
            dates.append(day(occ["DTSTART"].dt))
            if len(dates) >= n:
                break
        out.setdefault(uid, {})["rie"] = dates
    for comp in vobject.readOne(text).getChildren():
        if comp.name not in ("VTODO", "VEVENT") or not hasattr(comp, "rrule"):
            continue
        dates = []
        for occ in comp.getrruleset(addRDate=True):
            dates.append(day(occ))
            if len(dates) >= n:
                break
        out.setdefault(comp.uid.value, {})["vobject"] = dates
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
