// The GP summary is one A4 page for any diary (issue 21, finding 5): diaries from empty to ten
// years, each imported with the real CLI into a diary of its own and served by the real binary,
// printed to PDF by Chromium and its pages counted; the same for the file `legcramps report
// --html` writes. The full record holds what the summary leaves out.
const { test, expect } = require('@playwright/test');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { diaries } = require('./diaries');

const bin = process.env.LEGCRAMPS_BIN || path.join(__dirname, '..', '..', 'target', 'debug', 'legcramps');
const SHOTS = (process.env.LEGCRAMPS_SHOTS || path.join(__dirname, '..', '..', 'docs', 'screenshots'));

// Printing is the same with or without JavaScript: the JavaScript project only.
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'printing does not depend on JavaScript');

function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

// Serve one diary on a port of its own; resolves once the server says it is listening.
function serve(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir], {
      env: { ...process.env, RUST_LOG: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    const look = (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`legcramps serve ended (${code}): ${seen}`)));
  });
}

// This build's versions, read from the source the binary was built from.
const versions = {
  content: fs.readFileSync(path.join(__dirname, '..', '..', 'crates', 'core', 'src', 'content.rs'), 'utf8').match(/CONTENT_VERSION: &str = "([^"]+)"/)[1],
  rules: fs.readFileSync(path.join(__dirname, '..', '..', 'crates', 'core', 'src', 'triage.rs'), 'utf8').match(/RULES_VERSION: &str = "([^"]+)"/)[1],
};

// Every chart's words: the smallest drawn size in px, and each pair of words whose boxes touch
// (issue 21, finding 6: "no text overlaps text").
async function chartText(page) {
  return page.evaluate(() => {
    let smallest = Infinity;
    const touching = [];
    for (const svg of document.querySelectorAll('svg.legcramps-chart')) {
      const outer = svg.getBoundingClientRect();
      const scale = outer.width / svg.viewBox.baseVal.width;
      const texts = [...svg.querySelectorAll('text')];
      const boxes = texts.map((t) => ({ words: t.textContent, r: t.getBoundingClientRect() }));
      for (const t of texts) smallest = Math.min(smallest, Number(t.getAttribute('font-size')) * scale);
      for (let i = 0; i < boxes.length; i += 1) {
        const a = boxes[i].r;
        if (a.left < outer.left - 0.5 || a.right > outer.right + 0.5) touching.push(`${boxes[i].words} runs off the chart`);
        for (let j = i + 1; j < boxes.length; j += 1) {
          const b = boxes[j].r;
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
            touching.push(`${boxes[i].words} / ${boxes[j].words}`);
          }
        }
      }
    }
    return { smallest, touching };
  });
}

for (const [n, d] of diaries(versions).entries()) {
  test(`the GP summary of a diary (${d.name}) prints on one A4 page`, async ({ page }, info) => {
    test.setTimeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legcramps-pages-'));
    const file = path.join(dir, 'diary.json');
    fs.writeFileSync(file, JSON.stringify(d.diary));
    execFileSync(bin, ['import', file, '--data-dir', path.join(dir, 'data')]);
    const { child, url } = await serve(path.join(dir, 'data'));
    try {
      await page.goto(`${url}/diary/summary?from=${d.range.from}&to=${d.range.to}`);
      await expect(page.getByRole('heading', { name: 'Leg cramps: summary for my GP' })).toBeVisible();
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      fs.writeFileSync(info.outputPath(`gp-summary-${n}.pdf`), pdf);

      // Chart words at 320 px and on paper: none touch, none under 12 px on screen or 8 pt
      // (10.7 px) on paper (issue 21, finding 6); the same on the patterns page's four charts.
      await page.setViewportSize({ width: 320, height: 640 });
      let text = await chartText(page);
      expect(text.touching, `chart words that touch at 320 px (${d.name})`).toEqual([]);
      expect(text.smallest, `the smallest chart words at 320 px (${d.name})`).toBeGreaterThanOrEqual(12);
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 718, height: 1000 });
      text = await chartText(page);
      expect(text.touching, `chart words that touch on paper (${d.name})`).toEqual([]);
      expect(text.smallest * 0.75, `the smallest chart words on paper, in pt (${d.name})`).toBeGreaterThanOrEqual(8);
      const keyPt = await page.evaluate(() => Math.min(...[...document.querySelectorAll('.legcramps-chart-key li')]
        .map((li) => parseFloat(getComputedStyle(li).fontSize) * 0.75)));
      if (Number.isFinite(keyPt)) expect(keyPt, 'the chart key on paper, in pt').toBeGreaterThanOrEqual(8);
      await page.emulateMedia({ media: null });
      await page.goto(`${url}/diary/patterns?from=${d.range.from}&to=${d.range.to}`);
      await page.setViewportSize({ width: 320, height: 640 });
      text = await chartText(page);
      expect(text.touching, `chart words that touch on the patterns page at 320 px (${d.name})`).toEqual([]);
      expect(text.smallest, `the smallest chart words on the patterns page at 320 px (${d.name})`).toBeGreaterThanOrEqual(12);
      if (n === 3) await page.screenshot({ path: path.join(SHOTS, 'diary-patterns-year-320.png'), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(`${url}/diary/summary?from=${d.range.from}&to=${d.range.to}`);
      expect(pdfPages(pdf), `the GP summary of "${d.name}" prints on one A4 page`).toBe(1);
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: info.outputPath(`gp-summary-${n}.png`), fullPage: true });
      if (n === 4) await page.screenshot({ path: path.join(SHOTS, 'gp-summary-ten-years-a4.png'), fullPage: true });
      await page.emulateMedia({ media: null });

      // What the one page leaves out is in the full record, whole: as many red flags as the
      // summary counts, every cramp, every saved check.
      const redFlags = d.diary.episodes.filter((e) => e.duration_seconds >= 600 && e.eased !== 'yes').length;
      await page.getByRole('link', { name: 'The full record for these dates' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Leg cramps: full record for my GP');
      await expect(page.locator('.gp-record__cramps tbody tr')).toHaveCount(d.diary.episodes.length, { timeout: 30_000 });
      const listed = await page.locator('article.gp-record section ul li').allInnerTexts();
      expect(listed.filter((t) => /^\w{3} \d+ \w{3} \d{4}, \d\d:\d\d: \d+ minutes/.test(t)).length, 'every red flag in the full record').toBe(redFlags);
      expect(listed.filter((t) => t.includes('Phone 999 now')).length, 'every saved check in the full record').toBe(d.diary.checks.length);
      if (n === 4) {
        expect(listed.some((t) => t.includes(d.diary.episodes.find((e) => e.note && e.note.length === 500).note.trim())), 'a note is whole in the full record').toBe(true);
        const record = await page.pdf({ format: 'A4', printBackground: true });
        fs.writeFileSync(info.outputPath('full-record.pdf'), record);
      }

      // The standalone file, from the CLI, prints on one page too.
      const html = path.join(dir, 'summary.html');
      execFileSync(bin, ['report', '--from', d.range.from, '--to', d.range.to, '--html', html, '--data-dir', path.join(dir, 'data')]);
      await page.goto(`file://${html}`);
      const filePdf = await page.pdf({ format: 'A4', printBackground: true });
      fs.writeFileSync(info.outputPath(`gp-summary-file-${n}.pdf`), filePdf);
      expect(pdfPages(filePdf), `legcramps report --html for "${d.name}" prints on one A4 page`).toBe(1);
    } finally {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
