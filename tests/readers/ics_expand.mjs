// Expands every recurring component of an .ics with ical.js (Thunderbird's parser) and
// prints, per UID, the first N start dates.
//   node ics_expand.mjs FILE N > dates.json
import fs from 'node:fs';
import ICAL from 'ical.js';

const [file, count] = [process.argv[2], Number(process.argv[3])];
const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(file, 'utf8')));
const out = {};
for (const comp of cal.getAllSubcomponents()) {
  if (!['vtodo', 'vevent'].includes(comp.name) || !comp.hasProperty('rrule')) continue;
  const expansion = new ICAL.RecurExpansion({
    component: comp,
    dtstart: comp.getFirstPropertyValue('dtstart'),
  });
  const dates = [];
  let next;
  while (dates.length < count && (next = expansion.next())) dates.push(next.toString().slice(0, 10));
  out[comp.getFirstPropertyValue('uid')] = { 'ical.js': dates };
}
process.stdout.write(JSON.stringify(out, null, 1));
