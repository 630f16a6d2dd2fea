// Every page: axe at WCAG 2.2 AA with zero violations, no horizontal scrolling at 320 px
// (the width a 1280 px screen has at 400% zoom), screenshots at 375 px and 1280 px.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./helpers');

const PAGES = [
  ['home', '/'],
  ['overview', '/guide/overview'],
  ['symptoms', '/guide/symptoms'],
  ['when-to-get-help', '/guide/when-to-get-help'],
  ['causes', '/guide/causes'],
  ['treatment', '/guide/treatment'],
  ['guide-stretches', '/guide/stretches'],
  ['prevention', '/guide/prevention'],
  ['stretches', '/stretches'],
  ['stretches-error', '/stretches?reps=0', 400],
  ['check', '/check'],
  ['accessibility', '/accessibility'],
  ['privacy', '/privacy'],
  ['not-found', '/no-such-page', 404],
];

for (const [name, path, status = 200] of PAGES) {
  test(`${name}: accessible, fits 320 px, screenshots`, async ({ page }, info) => {
    const errors = [];
    page.on('console', (m) => {
      // An error page's own status is reported on the console; that one is expected.
      const expected = status !== 200 && m.text().includes(`status of ${status}`);
      if (m.type() === 'error' && !expected) errors.push(m.text());
    });
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.host !== new URL(info.project.use.baseURL).host) errors.push(`third-party request: ${r.url()}`);
    });
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(path);
    expect(response.status()).toBe(status);
    await expect(page.locator('main')).toBeVisible();
    await expect(page.getByText('NHS 24').first()).toBeVisible();
    await expectAccessible(page, path);
    await page.screenshot({ path: info.outputPath(`${name}-1280.png`), fullPage: true });

    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: info.outputPath(`${name}-375.png`), fullPage: true });

    await page.setViewportSize({ width: 320, height: 640 });
    // The header's script moves menu items under "More" after a resize: let the layout settle.
    await expect.poll(
      () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      { message: `${path} scrolls sideways at 320 px` },
    ).toBeLessThanOrEqual(0);
    await expectAccessible(page, `${path} at 320 px`);
    expect(errors, 'console errors or third-party requests').toEqual([]);
  });
}

// The header's links take at most two rows at 320 px, with JavaScript (the "More" menu) and
// without it (tighter links: issue 21, finding 13; they took three).
test('the header takes at most two rows of links at 320 px', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/diary');
  const rows = async () => page.evaluate(() => {
    const tops = [...document.querySelectorAll('.nhsuk-header__navigation-item')]
      .filter((li) => li.offsetParent !== null && getComputedStyle(li).visibility !== 'hidden')
      .map((li) => Math.round(li.getBoundingClientRect().top));
    return new Set(tops).size;
  });
  await expect.poll(rows).toBeLessThanOrEqual(2);
  const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.nhsuk-header__navigation-link')).fontSize));
  expect(size).toBeGreaterThanOrEqual(14);
});
