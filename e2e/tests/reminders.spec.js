// Reminders that reach the phone (issue 21, finding 3), in the browser: a person turns them on
// at 375 px, the real server sends the morning question to a push-service stand-in on a local
// port (which checks the VAPID signature and decrypts the message with the device's key, as a
// push service and a browser would), the message is delivered to the site's service worker
// through the Chrome DevTools Protocol, the worker shows the notification with its two
// buttons, and both are followed: "No cramps" records last night in the diary, "Log one"
// opens the quick log.
//
// Headless Chromium cannot reach a real push service, so the page's `pushManager` is given a
// subscription whose address is the stand-in's and whose keys the test holds: the one stand-in
// in this test. Everything else is the real site, the real worker and the real binary.
const { test, expect } = require('@playwright/test');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { expectAccessible, serveDiary } = require('./helpers');

const SHOTS = (process.env.LEGCRAMPS_SHOTS || path.join(__dirname, '..', '..', 'docs', 'screenshots'));
const CONTACT = 'mailto:ops@legcramps.example';


const b64url = (buf) => Buffer.from(buf).toString('base64url');

// RFC 8292: the Authorization header is `vapid t=JWT, k=key`, the JWT signed ES256 by k.
function vapidValid(header) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header || '');
  if (!m) return false;
  const [, jwt, k] = m;
  const raw = Buffer.from(k, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return false;
  const key = crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33)) },
    format: 'jwk',
  });
  const [h, c, s] = jwt.split('.');
  const ok = crypto.verify('sha256', Buffer.from(`${h}.${c}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
  return ok && claims.sub === CONTACT && claims.exp * 1000 > Date.now();
}

// RFC 8291 (aes128gcm, one record): what a browser does with a push message.
function decrypt(body, device) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const serverKey = body.subarray(21, 21 + idlen);
  const cipher = body.subarray(21 + idlen);
  const shared = device.ecdh.computeSecret(serverKey);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), device.public, serverKey]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', shared, device.auth, info, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const d = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(cipher.subarray(cipher.length - 16));
  const plain = Buffer.concat([d.update(cipher.subarray(0, cipher.length - 16)), d.final()]);
  // The last record ends with 0x02 then padding zeros.
  const end = plain.lastIndexOf(2);
  return plain.subarray(0, end).toString();
}

// The push-service stand-in: each message checked, decrypted and handed to whoever waits.
function pushService(device) {
  const waiting = [];
  const arrived = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (!vapidValid(req.headers.authorization) || req.headers['content-encoding'] !== 'aes128gcm') {
        res.writeHead(401).end();
        return;
      }
      const message = decrypt(Buffer.concat(chunks), device);
      res.writeHead(201).end();
      const w = waiting.shift();
      if (w) w(message); else arrived.push(message);
    });
  });
  return {
    server,
    next: () => new Promise((resolve) => {
      const m = arrived.shift();
      if (m) resolve(m); else waiting.push(resolve);
    }),
  };
}


test('a morning reminder reaches the worker and both its buttons work', async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, 'push needs JavaScript (without it the page says so: the next test)');
  const device = { ecdh: crypto.createECDH('prime256v1'), auth: crypto.randomBytes(16) };
  device.public = device.ecdh.generateKeys();
  const push = pushService(device);
  await new Promise((r) => push.server.listen(0, '127.0.0.1', r));
  const service = `http://127.0.0.1:${push.server.address().port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legcramps-push-'));
  const { child, url } = await serveDiary(path.join(dir, 'data'), ['--push-contact', CONTACT, '--push-service', service]);
  const context = await browser.newContext({ baseURL: url, viewport: { width: 375, height: 812 } });
  try {
    await context.grantPermissions(['notifications'], { origin: url });
    // The device's subscription: the stand-in's address and the keys this test holds.
    await context.addInitScript(({ endpoint, p256dh, auth }) => {
      if (!window.PushManager) return;
      // Kept across pages, as the browser keeps a real subscription.
      const subscription = {
        endpoint,
        toJSON: () => ({ endpoint, keys: { p256dh, auth } }),
        unsubscribe: async () => { localStorage.removeItem('stand-in-subscribed'); return true; },
      };
      PushManager.prototype.subscribe = async function subscribe(options) {
        if (!options || !options.userVisibleOnly || !options.applicationServerKey) throw new Error('bad options');
        localStorage.setItem('stand-in-subscribed', '1');
        return subscription;
      };
      PushManager.prototype.getSubscription = async function getSubscription() {
        return localStorage.getItem('stand-in-subscribed') ? subscription : null;
      };
    }, { endpoint: `${service}/device-1`, p256dh: b64url(device.public), auth: b64url(device.auth) });
    const page = await context.newPage();
    // The worker must be running before a push can reach it.
    await page.goto('/');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

    await page.goto('/diary');
    await page.getByRole('link', { name: 'Reminders' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reminders');
    await expect(page.getByText('Notifications need JavaScript')).toBeHidden();
    await page.getByLabel('Time for the morning question').fill('07:30');
    await page.getByRole('button', { name: 'Turn on reminders on this device' }).click();
    await expect(page.getByRole('status').first()).toContainText('Reminders are on for this device.');
    await expect(page.getByText(/Calf stretch at 21:30, morning question at 07:30/)).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page, 'reminders, on');
    await page.screenshot({ path: path.join(SHOTS, 'reminders-375.png'), fullPage: true });

    // The morning question, sent now, arrives at the push service signed and encrypted.
    const cdp = await context.newCDPSession(page);
    // The site's registration, once its worker is activated (a push reaches only that one).
    const registration = new Promise((resolve) => {
      const scopes = new Map();
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        for (const r of registrations) if (!r.isDeleted) scopes.set(r.registrationId, r.scopeURL);
      });
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        const v = versions.find((x) => x.status === 'activated' && scopes.get(x.registrationId) === `${url}/`);
        if (v) resolve(v.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registration;
    let lastMessage = null;
    const deliver = async (again = false) => {
      const message = again ? lastMessage : await push.next();
      lastMessage = message;
      const data = JSON.parse(message);
      expect(Object.keys(data).sort()).toEqual(['body', 'code', 'kind', 'night', 'title', 'url']);
      return data;
    };
    // Delivered through the DevTools protocol, which answers before the worker has the
    // message and reports no failure after: on a loaded machine a delivery was seen to come
    // to nothing (2 runs in 60). So, as a push service does, it is delivered again until the
    // notification shows (the same message: its tag replaces, never adds).
    const shows = async (message, expected) => {
      await expect(async () => {
        await cdp.send('ServiceWorker.deliverPushMessage', { origin: url, registrationId, data: message });
        await expect.poll(notifications, { timeout: 5_000 }).toEqual(expected);
      }).toPass({ timeout: 20_000 });
    };
    const morning = [{ title: 'Any cramps last night?', actions: ['No cramps', 'Log one'] }];
    const notifications = () => page.evaluate(async () => {
      const r = await navigator.serviceWorker.ready;
      return (await r.getNotifications()).map((n) => ({ title: n.title, actions: n.actions.map((a) => a.title) }));
    });
    await page.getByRole('button', { name: 'Send the morning question now, to try it' }).click();
    await expect(page.getByRole('status').first()).toContainText('The morning question was sent to your device.');
    const first = await deliver();
    expect(first.title).toBe('Any cramps last night?');
    await shows(lastMessage, morning);

    // "No cramps": the worker's click handler, with that button.
    const worker = context.serviceWorkers().find((w) => w.url().endsWith('/sw.js'));
    // The worker's own click handling (the 'notificationclick' listener only hands the
    // notification and the button to it, inside event.waitUntil), awaited to its end: a click
    // dispatched from a test is not trusted, so its waitUntil would not keep the worker alive
    // and its work could be cut off (seen 1 run in 60 under load).
    const click = (action) => worker.evaluate(async (a) => {
      const [n] = await self.registration.getNotifications({ tag: 'legcramps-morning' });
      // Focusing the window is allowed only within a real click; the navigation before it is
      // what is checked.
      await onNotificationClick(n, a).catch((e) => { if (e.name !== 'InvalidAccessError') throw e; });
    }, action);
    await click('no-cramps');
    await expect.poll(notifications).toEqual([{ title: 'Noted: no cramps last night', actions: [] }]);
    await page.goto('/diary');
    await expect(page.getByText(/Recorded: no cramps last night/)).toBeVisible();

    // "Send now" again within the minute is not sent: the page says to wait.
    await page.goto('/diary/reminders');
    await page.getByRole('button', { name: 'Send the morning question now, to try it' }).click();
    await expect(page.getByRole('status').first()).toContainText('Wait a minute, then try again.');
    // "Log one": the same morning question again (its code is used, which "Log one" does not
    // need), and the diary opens at the quick log.
    await deliver(true);
    await shows(lastMessage, morning);
    await click('log');
    await page.waitForURL(/\/diary#quick-log$/);
    await expect(page.getByRole('heading', { name: 'Log a cramp' })).toBeVisible();

    // Off on this device: the page says so and lists none.
    await page.goto('/diary/reminders');
    await page.getByRole('button', { name: 'Turn off reminders on this device' }).click();
    await expect(page.getByRole('status').first()).toContainText('Reminders are off.');
    await expect(page.getByRole('heading', { name: 'Where reminders are on' })).toHaveCount(0);
  } finally {
    await context.close();
    child.kill();
    push.server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Without JavaScript no subscription can be made, and a server without --push-contact sends
// none: either way the page says so and offers the calendar file.
test('the reminders page without notifications offers the calendar file', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto('/diary/reminders');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reminders');
  await expect(page.getByText('This site does not send notifications.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download the calendar reminder' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Turn on reminders/ })).toHaveCount(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expectAccessible(page, 'reminders, none on this server');
});
