// Parses the iCalendar text on stdin with ical.js (the parser Thunderbird uses) and
// prints what a calendar client would see as JSON. Used by the ICS tests.
import ICAL from "../../node_modules/ical.js/dist/ical.js";

let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const value = (name) => vevent.getFirstPropertyValue(name);
    const attendee = vevent.getFirstProperty("attendee");
    const organizer = vevent.getFirstProperty("organizer");
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: value("status"),
      summary: event.summary,
      description: event.description,
      url: value("url"),
      dtstart: event.startDate.toString(),
      dtend: event.endDate.toString(),
      start_utc: event.startDate.zone === ICAL.Timezone.utcTimezone,
      end_utc: event.endDate.zone === ICAL.Timezone.utcTimezone,
      start_unix: event.startDate.toUnixTime(),
      dtstamp: value("dtstamp") ? value("dtstamp").toString() : null,
      organizer: organizer ? { value: organizer.getFirstValue(), cn: organizer.getParameter("cn") } : null,
      attendee: attendee ? { value: attendee.getFirstValue(), cn: attendee.getParameter("cn") } : null,
    };
  });
  process.stdout.write(
    JSON.stringify({
      method: calendar.getFirstPropertyValue("method"),
      version: calendar.getFirstPropertyValue("version"),
      prodid: calendar.getFirstPropertyValue("prodid"),
      events,
    })
  );
});
