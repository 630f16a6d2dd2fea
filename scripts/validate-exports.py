#!/usr/bin/env python3
"""Independent validation of the diary's exports, run by .ci/run.

- The FHIR export is parsed by the `fhir.resources` package (pydantic models of the FHIR
  specification; R4B, which has the same Bundle, Observation and QuestionnaireResponse as R4).
- The reminder is parsed by the `icalendar` package (RFC 5545).

Usage: validate-exports.py FHIR_JSON ICS
Exits non-zero, naming the problem, if either is refused.
"""
import json
import sys

from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar


def check_fhir(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection", bundle.type
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    observations = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"]
    assert observations, "no Observation in the bundle"
    for o in observations:
        codes = [(c.system, c.code) for c in o.code.coding]
        assert ("http://snomed.info/sct", "55300003") in codes, codes
        assert o.bodySite is not None and o.bodySite.coding, "no body site"
        assert o.effectivePeriod is not None and o.effectivePeriod.start is not None
        names = [c.code.text for c in o.component]
        assert "Duration" in names and "Severity" in names, names
    print(f"FHIR: {path} is a valid Bundle: {len(observations)} Observation(s), "
          f"{kinds.count('QuestionnaireResponse')} QuestionnaireResponse(s)")
    # The raw JSON must also be plain JSON with no nulls (FHIR forbids them).
    assert "null" not in json.dumps(json.loads(text)), "null values in FHIR JSON"


def check_ics(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "lines must end in CRLF"
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "a line is longer than 75 octets"
    cal = Calendar.from_ical(raw)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 1, events
    event = events[0]
    assert event.get("rrule")["FREQ"] == ["DAILY"], event.get("rrule")
    alarms = [c for c in event.walk() if c.name == "VALARM"]
    assert len(alarms) == 1 and str(alarms[0].get("action")) == "DISPLAY"
    print(f"iCalendar: {path} parses: daily event at {event.decoded('dtstart')} with an alarm")


if __name__ == "__main__":
    check_fhir(sys.argv[1])
    check_ics(sys.argv[2])
