// Reads a calendar file with ical.js, as web calendars do, and prints its events as JSON:
// each one's UID, start and end as UTC instants (or dates, for a whole day), summary, place and text.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);  // the file's own rules, not a zone the library knows by name
}
const instant = (time) => time.isDate ? time.toString() : time.toJSDate().toISOString().replace(".000Z", "Z");
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid, start: instant(event.startDate), end: instant(event.endDate), allDay: event.startDate.isDate,
    summary: event.summary, location: event.location, description: event.description,
  };
});
process.stdout.write(JSON.stringify(events));
