// A diary kept for weeks at 375 px (issue 21, "Done means"): three weeks of nights, a cramp in
// sleep logged through the full form on every other night and "no cramps" said for the rest
// (the nights before last through the API, as a program or the CLI would; last night with the
// diary's own one-tap button), then the patterns and the GP summary count the nights recorded,
// with and without cramps, and say how many are not known.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { expectAccessible, serveDiary } = require('./helpers');

const DAY = 24 * 60 * 60 * 1000;


// The date `days` before today in the server's zone (Europe/London), as its three parts.
function londonDay(days) {
  const d = new Date(Date.now() - days * DAY);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(d)
    .reduce((o, p) => ({ ...o, [p.type]: p.value }), {});
  return { day: Number(parts.day), month: Number(parts.month), year: Number(parts.year), iso: `${parts.year}-${parts.month}-${parts.day}` };
}

test('three weeks of nights with check-ins, counted in the patterns and the GP summary', async ({ browser, javaScriptEnabled }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legcramps-weeks-'));
  const { child, url } = await serveDiary(path.join(dir, 'data'));
  const context = await browser.newContext({ baseURL: url, viewport: { width: 375, height: 812 }, javaScriptEnabled });
  try {
    const page = await context.newPage();
    // Nights 2 to 22 days ago: a cramp in sleep on the even ones, "no cramps" on the odd ones.
    for (let d = 2; d <= 22; d += 1) {
      const when = londonDay(d);
      if (d % 2 === 0) {
        await page.goto('/diary/new');
        await page.getByLabel('Day').fill(String(when.day));
        await page.getByLabel('Month').fill(String(when.month));
        await page.getByLabel('Year').fill(String(when.year));
        await page.getByLabel('Time it started').fill('02:10');
        await page.getByLabel('How long did it last?').fill('3');
        await page.getByRole('group', { name: 'Which muscle?' }).getByLabel('Calf', { exact: true }).check();
        await page.getByRole('group', { name: 'Which leg?' }).getByLabel('Left', { exact: true }).check();
        await page.getByRole('group', { name: 'Were you asleep or awake?' }).getByLabel('Asleep').check();
        await page.getByRole('group', { name: 'Did it ease when you moved?' }).getByLabel('Yes', { exact: true }).check();
        await page.getByRole('group', { name: 'How bad was it?' }).getByLabel('Moderate', { exact: true }).check();
        await page.getByRole('button', { name: 'Save' }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your cramp diary');
      } else {
        const r = await page.request.post('/api/v1/nights', { data: { night: when.iso } });
        expect(r.status(), await r.text()).toBe(200);
      }
    }
    // Last night: the diary's own button, one tap.
    await page.goto('/diary');
    await page.getByRole('button', { name: 'No cramps last night' }).click();
    await expect(page.getByText(/Recorded: no cramps last night/).first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Take it back' })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page, 'diary after three weeks, checked in');

    // Nights said something about: 11 with a cramp in sleep, 10 + 1 without; the rest of the
    // 12 weeks not known, and said so.
    await page.goto('/diary/patterns');
    const nights = page.locator('h2:has-text("Nights") + p');
    await expect(nights).toContainText('11 with a cramp in my sleep, 11 with no cramps (checked in)');
    await expect(nights).toContainText('not recorded');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.goto('/diary/summary');
    await expect(page.locator('main')).toContainText('11 with a cramp in my sleep, 11 with no cramps (checked in)');
  } finally {
    await context.close();
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
