// Reads vCard files with ical.js (Thunderbird's and Nextcloud's parser) and prints, per card
// (keyed by UID), every value of the properties rolo writes, as ical.js decodes them.
//   node vcard_read.mjs FILE... > cards.json
import fs from 'node:fs';
import ICAL from 'ical.js';

const all = (card, name) => card.getAllProperties(name).flatMap((p) => p.getValues());

function read(card) {
  const got = { FN: all(card, 'fn') };
  const n = card.getFirstPropertyValue('n');
  if (n) {
    const list = (x) => (Array.isArray(x) ? x.join(',') : (x ?? ''));
    const [family, given, additional, prefix, suffix] = n;
    got.N = { family: list(family), given: list(given), additional: list(additional),
              prefix: list(prefix), suffix: list(suffix) };
  }
  for (const name of ['nickname', 'title', 'note', 'email', 'tel', 'url', 'impp', 'categories', 'role']) {
    got[name.toUpperCase()] = all(card, name);
  }
  got.ORG = card.getAllProperties('org').map((p) => {
    const v = p.getFirstValue();
    return Array.isArray(v) ? v : [v];
  });
  got.ADR = card.getAllProperties('adr').map((p) => {
    const [box, extended, street, locality, region, code, country] = p.getFirstValue();
    return { box, extended, street, locality, region, code, country };
  });
  return got;
}

const cards = {};
for (const file of process.argv.slice(2)) {
  const parsed = ICAL.parse(fs.readFileSync(file, 'utf8'));
  // One card parses to one jCard; several to a list of them.
  const list = typeof parsed[0] === 'string' ? [parsed] : parsed;
  for (const jcard of list) {
    const card = new ICAL.Component(jcard);
    cards[card.getFirstPropertyValue('uid')] = read(card);
  }
}
process.stdout.write(JSON.stringify(cards, null, 1));
