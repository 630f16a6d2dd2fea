// Shared steps: answering the check the way a person would, and the axe check.
const { expect, test } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

// axe runs as JavaScript inside the page. In the no-JavaScript project the page cannot run it,
// so the same HTML is served, as received, to a second page whose own scripts are all blocked
// (so it stays exactly as a browser without JavaScript shows it), and axe checks that.
async function expectAccessible(page, what) {
  let results;
  const jsEnabled = test.info().project.use.javaScriptEnabled !== false;
  // WCAG 2.2 AA, and the best-practice "region" rule (all content inside landmarks: issue 9).
  const scan = async (p) => {
    const wcag = await new AxeBuilder({ page: p }).withTags(WCAG_22_AA).analyze();
    const region = await new AxeBuilder({ page: p }).withRules(['region']).analyze();
    return { violations: [...wcag.violations, ...region.violations] };
  };
  if (jsEnabled) {
    results = await scan(page);
  } else {
    const html = await page.content();
    const url = page.url();
    const viewport = page.viewportSize();
    const context = await page.context().browser().newContext({ javaScriptEnabled: true, viewport });
    try {
      const mirror = await context.newPage();
      await mirror.route('**/*', (route) => {
        const req = route.request();
        if (req.url() === url && req.resourceType() === 'document') {
          return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        }
        if (req.resourceType() === 'script') return route.abort();
        return route.continue();
      });
      await mirror.goto(url);
      results = await scan(mirror);
    } finally {
      await context.close();
    }
  }
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

// The field the current question asks about (from the main form's hidden "current" input).
async function currentField(page) {
  const current = page.locator('main form input[name="current"]');
  if ((await current.count()) === 0) return null;
  return current.getAttribute('value');
}

// Answer the current question by clicking its label, as a person would.
async function answer(page, value) {
  const field = await currentField(page);
  if (field === 'longest_cramp_minutes') {
    if (value === 'unsure') {
      await page.getByLabel('I’m not sure how long it lasted').check();
    } else {
      await page.getByLabel('How long did your longest cramp last?').fill(String(value));
    }
  } else {
    const id = (await page.locator(`main input[name="${field}"][value="${value}"]`).getAttribute('id'));
    await page.locator(`label[for="${id}"]`).click();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

// Run the check from the start page to the outcome. `answers` maps field to value; anything
// not listed is answered "no" ("none" for the conditions question). Urgent outcomes come
// straight after the last question; the others after "Check your answers".
async function runCheck(page, answers, { onPage } = {}) {
  await page.goto('/check');
  await page.getByRole('button', { name: 'Start now' }).click();
  for (let i = 0; i < 20; i += 1) {
    const field = await currentField(page);
    if (!field) break;
    if (onPage) await onPage(`question ${field}`);
    const fallback = { known_conditions: 'none', longest_cramp_minutes: 1 }[field] ?? 'no';
    const value = answers[field] ?? fallback;
    await answer(page, value);
  }
  if ((await page.getByRole('heading', { level: 1 }).textContent()).trim() === 'Check your answers') {
    if (onPage) await onPage('summary');
    await page.getByRole('button', { name: 'Get your advice' }).click();
  }
  return page.locator('[data-disposition]').getAttribute('data-disposition');
}

// The real binary serving a diary of its own on a free port (`extra`: more `serve` flags);
// resolves once it says where it serves.
function serveDiary(dataDir, extra = []) {
  const { spawn } = require('child_process');
  const path = require('path');
  const bin = process.env.LEGCRAMPS_BIN || path.join(__dirname, '..', '..', 'target', 'debug', 'legcramps');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir, ...extra], {
      env: { ...process.env, RUST_LOG: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    const look = (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/serving on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`legcramps serve ended (${code}): ${seen}`)));
  });
}

module.exports = { expectAccessible, runCheck, answer, currentField, serveDiary };
