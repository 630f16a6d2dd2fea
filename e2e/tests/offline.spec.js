// Installable and useful offline (issue 9): with no connection the guidance, the stretches
// and the stretch timer still work; any other page shows the offline page (which still says
// how to get help now); the diary is never kept by the service worker.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./helpers');

test.use({ viewport: { width: 375, height: 800 } });

test('offline, the guidance and the stretch timer work and the diary is never kept', async ({ page, context }, info) => {
  test.skip(info.project.name === 'no-js', 'the service worker needs JavaScript');
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // Online, a visit to the diary: it must not end up in any cache.
  await page.goto('/diary');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your cramp diary');

  await context.setOffline(true);
  try {
    await page.goto('/guide/overview');
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('You are offline');
    await page.goto('/stretches?reps=1&hold=1');
    await page.goto('/stretches');
    await expect(page.locator('[data-stretch-timer]')).toBeVisible();
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.locator('[data-rep]')).toHaveText(/Repetition 1 of/);

    await page.goto('/diary');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are offline');
    await expect(page.locator('.legcramps-help-now')).toBeVisible();
    await expectAccessible(page, 'offline page');
    await page.screenshot({ path: info.outputPath('offline-375.png'), fullPage: true });

    const kept = await page.evaluate(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(kept).toContain('/stretches');
    expect(kept.filter((u) => /^\/(diary|account|check|api)/.test(u))).toEqual([]);
  } finally {
    await context.setOffline(false);
  }
});

test('the site can be installed: a manifest with a start page and an icon', async ({ page }) => {
  const reply = await page.request.get('/manifest.webmanifest');
  expect(reply.ok()).toBe(true);
  const manifest = await reply.json();
  expect(manifest.start_url).toBe('/');
  expect(manifest.icons.length).toBeGreaterThan(0);
  const icon = await page.request.get(manifest.icons[0].src);
  expect(icon.ok()).toBe(true);
});
