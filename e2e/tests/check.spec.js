// "Check your leg cramps" to each outcome, in both projects (JavaScript on and off), with axe
// on every kind of question page, the summary and the outcome. The urgent moments (999, the
// clot route, a long cramp) are walked in full, and their outcome pages saved at 375 px.
const { test, expect } = require('@playwright/test');
const { expectAccessible, runCheck, answer, currentField } = require('./helpers');

const CASES = [
  ['emergency', 'Phone 999 now', { breathless_or_chest_pain: 'yes' }],
  ['urgent-gp', 'Phone 111 now', { one_leg_swollen_warm_or_red: 'yes', gp_open: 'no' }],
  ['urgent-gp', 'Phone 111 now', { longest_cramp_minutes: 12, eases_when_moving: 'no', long_cramp_recent: 'yes', gp_open: 'no' }],
  ['urgent-gp', 'Phone your GP surgery now', { longest_cramp_minutes: 10, eases_when_moving: 'no', long_cramp_recent: 'yes', gp_open: 'yes' }],
  ['gp', 'Speak to your GP', { longest_cramp_minutes: 2, sleep_disturbed: 'yes' }],
  ['pharmacist', 'Speak to a pharmacist', { longest_cramp_minutes: 1, new_medication: 'yes' }],
  ['self-care', 'Look after yourself at home', { longest_cramp_minutes: 1, after_exercise: 'yes' }],
];

const NAMES = ['999', 'dvt-111', 'long-cramp-111', 'ten-minutes-gp-open', 'gp', 'pharmacist', 'self-care'];

CASES.forEach(([expected, headline, answers], i) => {
  test(`the check reaches ${expected}: ${NAMES[i]}`, async ({ page }, info) => {
    const checked = [];
    await page.setViewportSize({ width: 375, height: 800 });
    const disposition = await runCheck(page, answers, {
      onPage: async (what) => {
        // axe on the first visits of each kind of page keeps the suite quick.
        if (checked.length < 4 || what === 'summary') {
          await expectAccessible(page, what);
          checked.push(what);
        }
      },
    });
    expect(disposition).toBe(expected);
    // The H1 is the one thing to do.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(headline);
    await expectAccessible(page, `outcome ${NAMES[i]}`);
    // The 999 page's net is for when the call does not get through (issue 18, finding 22).
    await expect(page.getByText(expected === 'emergency' ? 'If you cannot get through' : 'When to get help again')).toBeVisible();
    // A screen reader's view of the headings: the instruction first, then why, then the rest.
    const headings = await page.locator('main h1, main h2, main h3').allTextContents();
    expect(headings[0]).toBe(headline);
    if (expected === 'emergency') {
      await expect(page.locator('a[href="tel:999"]')).toHaveCount(1);
      await expect(page.locator('a[href="tel:111"]')).toHaveCount(0);
      await expect(page.getByText('do not drive yourself')).toBeVisible();
    } else if (headline === 'Phone 111 now') {
      await expect(page.locator('a[href="tel:111"]')).toHaveCount(1);
      // 111 online differs by nation: none unless the host names one (issue 18, finding 12).
      await expect(page.getByRole('link', { name: 'Use 111 online' })).toHaveCount(0);
    } else {
      await expect(page.locator('a[href="tel:111"]')).toHaveCount(0);
    }
    await page.screenshot({ path: info.outputPath(`outcome-${NAMES[i]}-375.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: info.outputPath(`outcome-${NAMES[i]}-1280.png`), fullPage: true });
    // Printed: one page, the answers open, no link noise.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.legcramps-for-professionals')).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Your answers' })).toBeVisible();
    await page.emulateMedia({ media: 'screen' });
  });
});

test('an unanswered question shows an error summary that links to it', async ({ page }, info) => {
  await page.goto('/check');
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expectAccessible(page, 'question with error');
  await page.screenshot({ path: info.outputPath('question-error-375.png'), fullPage: true });
  await page.getByRole('link', { name: /Select yes, no or/ }).click();
  await expect(page.locator('#breathless_or_chest_pain')).toBeFocused();
});

test('a duration the page cannot read is kept in the box', async ({ page }) => {
  await page.goto('/check');
  await page.getByRole('button', { name: 'Start now' }).click();
  await answer(page, 'no');
  await answer(page, 'no');
  await answer(page, 'about ten-ish');
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expect(page.getByLabel('How long did your longest cramp last?')).toHaveValue('about ten-ish');
});

test('back and change keep the answers', async ({ page }) => {
  await page.goto('/check');
  await page.getByRole('button', { name: 'Start now' }).click();
  await answer(page, 'no');
  await answer(page, 'no');
  await answer(page, 3);
  expect(await currentField(page)).toBe('lead_or_mercury_contact');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('How long did your longest cramp last?')).toHaveValue('3');
});

test('an urgent outcome can be changed from the outcome page', async ({ page }) => {
  await runCheck(page, { one_leg_swollen_warm_or_red: 'yes', gp_open: 'no' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phone 111 now');
  await page.getByRole('button', { name: /Change your answer to: Is your GP surgery open now/ }).click();
  await answer(page, 'yes');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phone your GP surgery now');
});

test('from the home page the check starts in one press, and the diary is linked', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Keep a record of your cramps' })).toHaveAttribute('href', '/diary');
  await page.getByRole('button', { name: 'Start the check' }).click();
  // The first question, not a second start page.
  await expect(page.locator('#breathless_or_chest_pain')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Start now' })).toHaveCount(0);
});

// Issue 18, the two journeys a clinical safety officer walked, with JavaScript off at 375 px
// (and on), each outcome's screen reader view of the headings checked and its screenshot kept.
const path = require('path');
const SHOTS = (process.env.LEGCRAMPS_SHOTS || path.join(__dirname, '..', '..', 'docs', 'screenshots'));

test('"not sure" about breathlessness: the check goes on, then 111 led by 999', async ({ page }, info) => {
  await page.setViewportSize({ width: 375, height: 812 });
  const asked = [];
  const disposition = await runCheck(page, { breathless_or_chest_pain: 'unsure', one_leg_swollen_warm_or_red: 'no', gp_open: 'yes' }, {
    onPage: async (what) => { asked.push(what); },
  });
  expect(disposition).toBe('urgent-gp');
  // Every question after it was asked (the leg, the cramps, the rest), never the surgery's hours.
  expect(asked).toContain('question one_leg_swollen_warm_or_red');
  expect(asked).toContain('question known_conditions');
  expect(asked).not.toContain('question gp_open');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phone 111 now');
  // A screen reader's headings: the instruction, then the 999 line's card, then why.
  const headings = (await page.locator('main h1, main h2, main h3').allTextContents()).map((h) => h.replace(/\s+/g, ' ').trim());
  expect(headings[0]).toBe('Phone 111 now');
  expect(headings[1]).toContain('Short of breath or chest pain now?');
  expect(headings[2]).toContain('Why');
  await expect(page.getByText('If you are short of breath or have chest pain now, phone 999.')).toBeVisible();
  await expect(page.locator('a[href="tel:999"]')).toHaveCount(1);
  await expect(page.locator('a[href="tel:111"]')).toHaveCount(1);
  await expect(page.getByText('You were not sure if you have new or worse shortness of breath')).toBeVisible();
  await expectAccessible(page, 'outcome: not sure about breathlessness');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'nothing scrolls sideways at 375 px').toBeLessThanOrEqual(0);
  await page.screenshot({ path: info.outputPath('outcome-breathless-unsure-375.png'), fullPage: true });
  if (info.project.name === 'no-js') {
    await page.screenshot({ path: path.join(SHOTS, 'outcome-breathless-unsure-375.png'), fullPage: true });
  }
});

test('a long cramp three weeks ago, over: see your GP, phone that day if it happens again', async ({ page }, info) => {
  await page.setViewportSize({ width: 375, height: 812 });
  const disposition = await runCheck(page, { longest_cramp_minutes: 12, eases_when_moving: 'no', long_cramp_recent: 'no' });
  expect(disposition).toBe('gp');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Speak to your GP');
  const headings = (await page.locator('main h1, main h2, main h3').allTextContents()).map((h) => h.replace(/\s+/g, ' ').trim());
  expect(headings[0]).toBe('Speak to your GP');
  expect(headings[1]).toContain('Why');
  await expect(page.getByText('It ended more than 24 hours ago')).toBeVisible();
  await expect(page.getByText('If a cramp like this happens again, phone your GP surgery that day')).toBeVisible();
  await expect(page.locator('a[href="tel:111"]')).toHaveCount(0);
  await expectAccessible(page, 'outcome: long cramp three weeks ago');
  await page.screenshot({ path: info.outputPath('outcome-long-cramp-past-375.png'), fullPage: true });
  if (info.project.name === 'no-js') {
    await page.screenshot({ path: path.join(SHOTS, 'outcome-long-cramp-past-375.png'), fullPage: true });
  }
});
