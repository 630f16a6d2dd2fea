// Diaries made up for the GP summary's one-page promise (issue 21, finding 5): from empty to ten
// years, each as the JSON export format `legcramps import` reads. Every list the summary shows is
// filled past what it shows, with the longest words the diary accepts (a 500-character note, a
// 100-character medicine name, a saved check with every question "not sure").
const crypto = require('crypto');

const DAY = 24 * 60 * 60 * 1000;

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

// "2026-11-20T02:10:00+00:00" for `days` days before `today` at hh:mm UTC.
function at(today, days, hh, mm) {
  const d = new Date(today - days * DAY);
  d.setUTCHours(hh, mm, 0, 0);
  return d.toISOString().replace('.000Z', '+00:00');
}

const LONG_NOTE = ('The cramp started in my left calf and spread to the foot; I walked about and it '
  + 'did not ease, so I sat with my leg straight. ').repeat(5).slice(0, 500);

function episode(today, days, { minutes = 2, eased = 'yes', note = null, asleep = true, hh = 2 } = {}) {
  return {
    id: crypto.randomUUID(),
    start: at(today, days, hh, 10),
    last_night: false,
    duration_seconds: Math.round(minutes * 60),
    site: 'calf',
    side: 'left',
    asleep,
    eased,
    severity: minutes >= 10 ? 'severe' : 'moderate',
    note,
    context: { helped: ['stretched'], suspected: [] },
  };
}

function medicine(name, started, stopped = null) {
  return { id: crypto.randomUUID(), name, started, stopped, from_diary: false };
}

// A saved check whose every question was "not sure": the longest line a check can make.
function check(today, days, versions) {
  return {
    id: crypto.randomUUID(),
    at: at(today, days, 9, 30),
    answers: {},
    disposition: 'emergency',
    phone_111: false,
    phone_999: true,
    content_version: versions.content,
    rules_version: versions.rules,
  };
}

function diary({ episodes = [], checks = [], medicines = [], pregnancies = [], conditions = [], nights = [] }) {
  return {
    format: 'legcramps-diary',
    version: 1,
    content_version: 'made-up',
    episodes,
    checks,
    profile: { medicines, pregnancies, conditions },
    nights_without_cramps: nights,
  };
}

// The set, newest day = today. Each has a name, the dates to summarise and the diary.
// `versions`: this build's content and rules versions, so the saved checks' reasons are shown
// (a check saved with other rules shows none).
function diaries(versions, now = Date.now()) {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const weeks12 = { from: isoDay(today - 83 * DAY), to: isoDay(today) };
  const set = [];

  set.push({ name: 'empty', range: weeks12, diary: diary({}) });

  // The first case: 12 weeks with one red flag, one medicine and one saved check.
  {
    const episodes = [];
    for (let d = 80; d >= 0; d -= 4) episodes.push(episode(today, d));
    episodes.push(episode(today, 20, { minutes: 15, eased: 'no', note: 'Woke me, would not go.' }));
    set.push({
      name: '12 weeks, one red flag, one medicine, one check',
      range: weeks12,
      diary: diary({
        episodes,
        checks: [check(today, 19, versions)],
        medicines: [medicine('Example tablets', isoDay(today - 40 * DAY))],
      }),
    });
  }

  // The second case, and more of each: three medicines, three red flags not eased,
  // three not sure, long notes, checks with every question "not sure", a pregnancy and conditions.
  {
    const episodes = [];
    for (let d = 83; d >= 0; d -= 1) episodes.push(episode(today, d, { asleep: d % 3 !== 0 }));
    for (let i = 0; i < 6; i += 1) {
      episodes.push(episode(today, 10 + i * 9, { minutes: 12 + i, eased: i < 3 ? 'no' : 'unsure', note: LONG_NOTE, hh: 3 }));
    }
    set.push({
      name: '12 weeks, three medicines and six red flags with long notes',
      range: weeks12,
      diary: diary({
        episodes,
        checks: [check(today, 5, versions), check(today, 30, versions), check(today, 60, versions)],
        medicines: [
          medicine('A'.repeat(100), isoDay(today - 70 * DAY)),
          medicine('Second example medicine 20 mg once a day', isoDay(today - 50 * DAY), isoDay(today - 20 * DAY)),
          medicine('Third example medicine', isoDay(today - 30 * DAY)),
        ],
        pregnancies: [{ id: crypto.randomUUID(), started: isoDay(today - 200 * DAY), ended: null, from_diary: false }],
        conditions: [{ id: crypto.randomUUID(), name: 'An example condition', since: null }],
        nights: [],
      }),
    });
  }

  // A year of cramps (a bar a month) with medicines started through it, two in one month.
  {
    const episodes = [];
    for (let d = 360; d >= 0; d -= 2) episodes.push(episode(today, d, { minutes: 1 + (d % 5) }));
    const medicines = [];
    for (const [i, d] of [300, 240, 235, 120, 60, 20].entries()) {
      medicines.push(medicine(`Example medicine ${i + 1}`, isoDay(today - d * DAY)));
    }
    set.push({
      name: 'a year with six medicines',
      range: { from: isoDay(today - 360 * DAY), to: isoDay(today) },
      diary: diary({ episodes, medicines, checks: [check(today, 100, versions)] }),
    });
  }

  // Ten years: a cramp on most nights, "No cramps last night" on the rest, the profile full
  // (100 entries), 60 red flags with 500-character notes and 40 saved checks.
  {
    const episodes = [];
    const nights = [];
    for (let d = 3649; d >= 1; d -= 1) {
      if (d % 5 === 0) nights.push(isoDay(today - d * DAY));
      else episodes.push(episode(today, d, { minutes: 1 + (d % 7), eased: d % 2 ? 'yes' : 'unsure' }));
    }
    for (let i = 0; i < 60; i += 1) {
      episodes.push(episode(today, 5 + i * 60, { minutes: 10 + (i % 30), eased: i % 2 ? 'no' : 'unsure', note: LONG_NOTE, hh: 4 }));
    }
    const medicines = [];
    for (let i = 0; i < 80; i += 1) {
      const name = `Medicine number ${i + 1} `.padEnd(100, 'x');
      medicines.push(medicine(name, isoDay(today - (3600 - i * 40) * DAY), i % 2 ? isoDay(today - (3500 - i * 40) * DAY) : null));
    }
    const pregnancies = [];
    for (let i = 0; i < 5; i += 1) {
      pregnancies.push({ id: crypto.randomUUID(), started: isoDay(today - (3000 - i * 500) * DAY), ended: isoDay(today - (2750 - i * 500) * DAY), from_diary: false });
    }
    const conditions = [];
    for (let i = 0; i < 15; i += 1) {
      conditions.push({ id: crypto.randomUUID(), name: `Condition number ${i + 1} `.padEnd(100, 'y'), since: isoDay(today - (3000 - i * 100) * DAY) });
    }
    const checks = [];
    for (let i = 0; i < 40; i += 1) checks.push(check(today, 3 + i * 90, versions));
    set.push({
      name: 'ten years, everything full',
      range: { from: isoDay(today - 3649 * DAY), to: isoDay(today) },
      diary: diary({ episodes, checks, medicines, pregnancies, conditions, nights }),
    });
  }
  return set;
}

module.exports = { diaries };
