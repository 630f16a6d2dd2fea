// The stretch timer: with JavaScript it counts down, counts repetitions and finishes; without,
// the steps and hold times are there as text.
const { test, expect } = require('@playwright/test');

test('the stretch timer counts down each hold', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'the timer needs JavaScript');
  await page.goto('/stretches?reps=2&hold=2');
  const timer = page.locator('[data-stretch-timer]');
  await expect(timer).toBeVisible();
  await expect(page.locator('#sound')).not.toBeChecked();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('[data-rep]')).toHaveText('Repetition 1 of 2');
  await expect(page.locator('[data-count]')).toHaveText('2');
  await expect(page.locator('[data-count]')).toHaveText('1', { timeout: 2500 });
  await page.screenshot({ path: info.outputPath('stretch-timer.png') });
  await expect(page.locator('[data-rep]')).toHaveText('Repetition 2 of 2', { timeout: 3000 });
  await expect(page.locator('[data-step]')).toContainText('Finished: 2 repetitions', { timeout: 4000 });
  await expect(page.locator('[data-progress]')).toHaveAttribute('max', '4');
  await expect(page.getByRole('button', { name: 'Start' })).toBeVisible();
});

test('without JavaScript the steps show the hold time', async ({ page }, info) => {
  test.skip(info.project.name === 'js', 'checks the no-JavaScript page');
  await page.goto('/stretches');
  await expect(page.locator('[data-stretch-timer]')).toBeHidden();
  await page.getByLabel('Seconds to hold each stretch').fill('7');
  await page.getByRole('button', { name: 'Update the steps' }).click();
  await expect(page.getByText('Hold for 7 seconds.')).toBeVisible();
});
