#!/usr/bin/env python3
"""Reads vCard files with vobject and prints, per card (keyed by UID), what a reader sees:
every value of the properties rolo writes, as lists, decoded the way vobject decodes them.

    python vcard_read.py FILE... > cards.json
"""
import json
import sys

import vobject


def values(card, name):
    out = []
    for prop in card.contents.get(name, []):
        v = prop.value
        out.extend(v if isinstance(v, list) else [v])
    return out


def read(card):
    got = {"FN": values(card, "fn")}
    if "n" in card.contents:
        n = card.n.value
        got["N"] = {k: getattr(n, k) for k in ("family", "given", "additional", "prefix", "suffix")}
    for name in ("nickname", "title", "note", "email", "tel", "url", "impp", "categories", "role"):
        got[name.upper()] = values(card, name)
    got["ORG"] = [p.value for p in card.contents.get("org", [])]
    got["ADR"] = [
        {"box": a.value.box, "extended": a.value.extended, "street": a.value.street,
         "locality": a.value.city, "region": a.value.region, "code": a.value.code,
         "country": a.value.country}
        for a in card.contents.get("adr", [])
    ]
    got["IMPP_PARAMS"] = [
        {k: v for k, v in p.params.items()} for p in card.contents.get("impp", [])
    ]
    return got


def main():
    cards = {}
    for path in sys.argv[1:]:
        with open(path, newline="", encoding="utf-8") as f:
            for card in vobject.readComponents(f.read()):
                cards[card.uid.value] = read(card)
    json.dump(cards, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
