// The whole check by keyboard alone: Tab to move, Space to choose, Enter to continue.
const { test, expect } = require('@playwright/test');

test('the check can be completed by keyboard alone', async ({ page }) => {
  await page.goto('/check');
  // From the top of the page: the skip link comes first.
  await page.keyboard.press('Tab');
  await expect(page.locator('.nhsuk-skip-link')).toBeFocused();
  // Tab to the start button and press it.
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.getByRole('button', { name: 'Start now' }).evaluate((el) => el === document.activeElement)) break;
  }
  await page.keyboard.press('Enter');

  // Yes/no questions: Tab to the first radio, arrow to the answer, Enter submits.
  const chooseByKeyboard = async (value) => {
    for (let i = 0; i < 30; i += 1) {
      await page.keyboard.press('Tab');
      const type = await page.evaluate(() => document.activeElement && document.activeElement.type);
      if (type === 'radio') break;
    }
    // Arrow keys move through a radio group and select.
    for (let i = 0; i < 3; i += 1) {
      const v = await page.evaluate(() => document.activeElement.value);
      if (v === value) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
  };
  await expect(page.getByRole('heading', { level: 1 })).toContainText('chest pain');
  await chooseByKeyboard('no');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('leg that hurts');
  await chooseByKeyboard('no');

  // The duration: type into the minutes box.
  await page.locator('#longest_cramp_minutes').focus();
  await page.keyboard.type('12');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toContainText('ease');
  await chooseByKeyboard('no');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('still going on');
  await chooseByKeyboard('yes');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('GP surgery open');
  await chooseByKeyboard('no');
  // Urgent: the advice comes straight away.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phone 111 now');
  await expect(page.locator('[data-disposition]')).toHaveAttribute('data-disposition', 'urgent-gp');
  // Focus is visible on links (the NHS.UK yellow focus style).
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).backgroundColor + ' ' + getComputedStyle(document.activeElement).boxShadow);
  expect(outline).not.toBe('none rgba(0, 0, 0, 0) none');
});
