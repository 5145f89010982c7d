// Expands every recurring component of an .ics with ical.js (Thunderbird's parser) and
// prints, per UID, the first N start dates. A moved occurrence (a component with the same
// UID and a RECURRENCE-ID) is applied the way Thunderbird does, through ICAL.Event.
//   node ics_expand.mjs FILE N > dates.json
import fs from 'node:fs';
import ICAL from 'ical.js';

const [file, count] = [process.argv[2], Number(process.argv[3])];
const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(file, 'utf8')));
const out = {};
const items = cal.getAllSubcomponents().filter((c) => ['vtodo', 'vevent'].includes(c.name));
for (const comp of items) {
  if (!comp.hasProperty('rrule')) continue;
  const uid = comp.getFirstPropertyValue('uid');
  const exceptions = items.filter(
    (c) => c.getFirstPropertyValue('uid') === uid && c.hasProperty('recurrence-id'),
  );
  const event = new ICAL.Event(comp, { exceptions });
  const iterator = event.iterator();
  const dates = [];
  let next;
  while (dates.length < count && (next = iterator.next())) {
    dates.push(event.getOccurrenceDetails(next).startDate.toString().slice(0, 10));
  }
  out[uid] = { 'ical.js': dates.sort() };
}
process.stdout.write(JSON.stringify(out, null, 1));
