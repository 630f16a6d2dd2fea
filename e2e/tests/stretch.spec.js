// The stretch timer: with JavaScript it counts down to get ready, each hold and the rest between,
// counts repetitions and finishes; without, the steps and hold times are there as text.
const path = require('path');
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./helpers');

test('the stretch timer gets ready, holds, rests and finishes', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'the timer needs JavaScript');
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto('/stretches?reps=2&hold=2');
  const timer = page.locator('[data-stretch-timer]');
  await expect(timer).toBeVisible();
  // On a phone the timer is on the first screen, above the steps.
  const box = await timer.boundingBox();
  const steps = await page.getByRole('heading', { name: 'Steps' }).boundingBox();
  expect(box.y).toBeLessThan(steps.y);
  expect(box.y).toBeLessThan(812);
  await expectAccessible(page, 'stretches');
  await page.screenshot({ path: path.join(process.env.LEGCRAMPS_SHOTS || path.join(__dirname, '..', '..', 'docs', 'screenshots'), 'stretches-375.png'), fullPage: false });
  await expect(page.locator('#sound')).not.toBeChecked();
  await page.getByRole('button', { name: 'Start' }).click();
  // Get ready (3 s), with the hold-on precaution.
  await expect(page.locator('[data-rep]')).toHaveText('Get ready');
  await expect(page.locator('[data-step]')).toContainText('Hold on to a wall or a banister');
  await expect(page.locator('[data-rep]')).toHaveText('Repetition 1 of 2', { timeout: 4000 });
  // Every standing step says to keep holding on; the hold says its seconds once.
  await expect(page.locator('[data-step]')).toContainText('Keep holding on to the wall or banister.');
  await expect(page.locator('[data-step]')).toContainText('Hold them there for 2 seconds.');
  await expect(page.locator('[data-count]')).toHaveText('2');
  await page.screenshot({ path: info.outputPath('stretch-timer.png') });
  // A rest between the repetitions.
  await expect(page.locator('[data-rep]')).toHaveText('Rest', { timeout: 3000 });
  await expect(page.locator('[data-step]')).toContainText('Raise your heels');
  await expect(page.locator('[data-rep]')).toHaveText('Repetition 2 of 2', { timeout: 3000 });
  await expect(page.locator('[data-step]')).toContainText('Finished: 2 repetitions', { timeout: 4000 });
  // 3 to get ready, 2 holds of 2, one rest of 2.
  await expect(page.locator('[data-progress]')).toHaveAttribute('max', '9');
  await expect(page.getByRole('button', { name: 'Start' })).toBeVisible();
});

test('without JavaScript the steps show the hold time, once', async ({ page }, info) => {
  test.skip(info.project.name === 'js', 'checks the no-JavaScript page');
  await page.goto('/stretches');
  await expect(page.locator('[data-stretch-timer]')).toBeHidden();
  await page.getByLabel('Seconds to hold each stretch').fill('7');
  await page.getByRole('button', { name: 'Update the steps' }).click();
  await expect(page.getByText('Hold them there for 7 seconds.')).toBeVisible();
  await expect(page.getByText('7 seconds')).toHaveCount(1);
  await expectAccessible(page, 'stretches without JavaScript');
});

test('one stretches page: header, footer and the old address agree', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('header a[href="/stretches"]')).toHaveCount(1);
  await expect(page.locator('footer a[href="/stretches"]')).toHaveText('Stretches');
  await expect(page.locator('a[href="/guide/stretches"]')).toHaveCount(0);
  await page.goto('/guide/stretches');
  await expect(page).toHaveURL(/\/stretches$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stretches');
});

// Issue 21, finding 13: the timer keeps the screen on while it runs (Screen Wake Lock), and lets
// it go when stopped. The browser's wake lock is observed through a stand-in that records calls
// (a headless browser has no screen to keep on).
test('the stretch timer keeps the screen on while it runs', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'the timer needs JavaScript');
  await page.addInitScript(() => {
    window.wakeCalls = [];
    Object.defineProperty(navigator, 'wakeLock', {
      configurable: true,
      value: {
        request: async (type) => {
          window.wakeCalls.push(type);
          const sentinel = new EventTarget();
          sentinel.release = async () => {
            window.wakeCalls.push('released');
            sentinel.dispatchEvent(new Event('release'));
          };
          return sentinel;
        },
      },
    });
  });
  await page.goto('/stretches?reps=2&hold=5');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(() => page.evaluate(() => window.wakeCalls)).toEqual(['screen']);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('[data-step]')).toHaveText('Stopped.');
  await expect.poll(() => page.evaluate(() => window.wakeCalls)).toEqual(['screen', 'released']);
});
