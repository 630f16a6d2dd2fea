// Progressive enhancement only: every page works without this file.
import { initAll } from './nhsuk.js';

initAll();

// Installable and useful offline: the worker keeps the guidance and the stretches, never the
// diary (see crates/web/src/offline.rs).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}

// "Print this page" buttons are hidden without JavaScript (browsers have their own print).
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

// "Download the codes" (recovery codes): the file is made here from the page and saved through a
// blob: address released straight away, so the codes are never in an address the browser keeps
// in its download history.
for (const button of document.querySelectorAll('[data-download]')) {
  const source = document.getElementById(button.dataset.download);
  if (!source || !window.Blob || !URL.createObjectURL) continue;
  button.hidden = false;
  for (const words of document.querySelectorAll('[data-download-words]')) words.hidden = false;
  button.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([source.content.textContent], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = button.dataset.filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
}

// "Copy the codes" (recovery codes): shown only where the clipboard can be written; says what
// happened in a status line. Without JavaScript, the codes can be downloaded or printed.
for (const button of document.querySelectorAll('[data-copy]')) {
  if (!navigator.clipboard || !window.isSecureContext) continue;
  const source = document.getElementById(button.dataset.copy);
  const status = document.querySelector('[data-copy-status]');
  if (!source) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const text = [...source.querySelectorAll('li')].map((li) => li.textContent.trim()).join('\n');
    try {
      await navigator.clipboard.writeText(text);
      if (status) status.textContent = 'The codes are copied. Paste them somewhere safe, such as a password manager.';
    } catch (e) {
      if (status) status.textContent = 'The codes could not be copied. Download or print them instead.';
    }
  });
}

// The guided calf stretch. The page carries the step texts and the settings in the DOM
// (rendered from the same content data as the CLI), so no clinical text lives here.
const timer = document.querySelector('[data-stretch-timer]');
if (timer) {
  const start = timer.querySelector('[data-start]');
  const stop = timer.querySelector('[data-stop]');
  const count = timer.querySelector('[data-count]');
  const step = timer.querySelector('[data-step]');
  const rep = timer.querySelector('[data-rep]');
  const progress = timer.querySelector('[data-progress]');
  const live = timer.querySelector('[data-live]');
  const sound = timer.querySelector('[data-sound]');
  const steps = JSON.parse(timer.getAttribute('data-steps'));
  const holdStep = Number(timer.getAttribute('data-hold-step'));
  const holdOn = timer.getAttribute('data-hold-on');
  // The numbers the steps on the page were written with (changing them reloads the page).
  const reps = Number(timer.getAttribute('data-reps'));
  const hold = Number(timer.getAttribute('data-hold'));
  // A get-ready countdown before the first hold, and a rest between holds, as the CLI has.
  const READY = 3;
  const REST = 2;
  let running = null;

  timer.hidden = false;

  const beep = () => {
    if (!sound.checked) return;
    const AudioCtx = window.AudioContext || window.webkitAudioContext;
    if (!AudioCtx) return;
    const ctx = new AudioCtx();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 660;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => ctx.close();
  };

  const say = (text) => { live.textContent = text; };

  // Keep the screen on while the timer runs (Screen Wake Lock, where the browser has it); let
  // it go when the routine ends or is stopped, and take it again if the page comes back.
  let wake = null;
  const keepAwake = async () => {
    if (!('wakeLock' in navigator) || wake) return;
    try {
      wake = await navigator.wakeLock.request('screen');
      wake.addEventListener('release', () => { wake = null; });
    } catch (e) {
      wake = null;
    }
  };
  const letSleep = () => {
    if (wake) wake.release();
    wake = null;
  };
  document.addEventListener('visibilitychange', () => {
    if (running && document.visibilityState === 'visible') keepAwake();
  });

  const finish = (message) => {
    clearInterval(running);
    running = null;
    letSleep();
    start.hidden = false;
    stop.hidden = true;
    count.textContent = '';
    step.textContent = message;
    say(message);
    start.focus();
  };

  start.addEventListener('click', () => {
    // The whole routine as phases: get ready, then each hold with a rest between.
    const phases = [{ label: 'Get ready', text: steps[0], seconds: READY }];
    for (let i = 1; i <= reps; i += 1) {
      phases.push({
        label: `Repetition ${i} of ${reps}`,
        text: `${holdOn} ${steps[holdStep - 1]} ${steps[holdStep]}`,
        seconds: hold,
        hold: true,
      });
      if (i < reps) phases.push({ label: 'Rest', text: `${holdOn} ${steps[holdStep + 1]}`, seconds: REST });
    }
    const total = phases.reduce((sum, p) => sum + p.seconds, 0);
    let index = 0;
    let left = phases[0].seconds;
    let done = 0;
    progress.max = total;
    progress.value = 0;
    start.hidden = true;
    stop.hidden = false;
    stop.focus();
    keepAwake();
    const show = () => {
      const p = phases[index];
      rep.textContent = p.label;
      step.textContent = p.text;
      count.textContent = String(left);
      say(`${p.label}. ${p.text}`);
    };
    show();
    running = setInterval(() => {
      left -= 1;
      done += 1;
      progress.value = done;
      count.textContent = String(Math.max(left, 0));
      if (left > 0) return;
      if (phases[index].hold) beep();
      index += 1;
      if (index >= phases.length) {
        finish(`${steps[holdStep + 1]} Finished: ${reps} repetitions.`);
        return;
      }
      left = phases[index].seconds;
      show();
    }, 1000);
  });

  stop.addEventListener('click', () => finish('Stopped.'));
}

// Passkeys (accounts only). The server renders the passkey buttons hidden; they show only
// where the browser supports passkeys. A button asks the server for options, runs the
// browser's ceremony, puts the answer into its form and submits it: the server does the rest,
// exactly as for the password form beside it.
const passkeyBlocks = document.querySelectorAll('[data-passkey-block]');
if (passkeyBlocks.length && window.PublicKeyCredential && navigator.credentials) {
  const fromB64 = (text) => {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const raw = atob(b64 + '==='.slice((b64.length + 3) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer;
  };
  const toB64 = (buffer) => {
    if (!buffer) return null;
    let raw = '';
    for (const byte of new Uint8Array(buffer)) raw += String.fromCharCode(byte);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const withIds = (list) => (list || []).map((c) => ({ ...c, id: fromB64(c.id) }));
  const answer = (credential) => {
    const r = credential.response;
    const response = { clientDataJSON: toB64(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64(r.attestationObject);
      if (r.getTransports) response.transports = r.getTransports();
    } else {
      response.authenticatorData = toB64(r.authenticatorData);
      response.signature = toB64(r.signature);
      response.userHandle = toB64(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toB64(credential.rawId),
      type: credential.type,
      response,
      extensions: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
    };
  };

  for (const block of passkeyBlocks) block.hidden = false;
  for (const note of document.querySelectorAll('.legcramps-no-passkeys')) note.hidden = true;

  for (const button of document.querySelectorAll('[data-passkey]')) {
    const purpose = button.getAttribute('data-passkey');
    const form = button.closest('form');
    const error = form.querySelector('[data-passkey-error]');
    const say = (message) => {
      error.textContent = message;
      error.hidden = !message;
    };
    button.addEventListener('click', async () => {
      say('');
      const signedIn = purpose === 'add' || purpose === 'again';
      const request = { purpose };
      if (purpose === 'sign-up') request.username = form.elements.username.value;
      if (purpose === 'step') request.step = form.elements.step.value;
      const headers = { 'Content-Type': 'application/json' };
      if (signedIn) headers['X-CSRF-Token'] = form.elements.csrf.value;
      button.disabled = true;
      try {
        const reply = await fetch(signedIn ? '/account/passkeys/options' : '/account/passkey/options', {
          method: 'POST',
          headers,
          body: JSON.stringify(request),
          credentials: 'same-origin',
        });
        const body = await reply.json().catch(() => ({}));
        if (reply.status === 403 && typeof body.confirm === 'string' && body.confirm.startsWith('/account/confirm')) {
          // Adding a passkey needs a recent "it is me": confirm, then come back here.
          window.location.assign(body.confirm);
          return;
        }
        if (!reply.ok) {
          say(body.error || 'Passkeys are not working just now: use your password instead.');
          return;
        }
        const options = body.options.publicKey;
        let credential;
        if (options.user) {
          options.challenge = fromB64(options.challenge);
          options.user.id = fromB64(options.user.id);
          options.excludeCredentials = withIds(options.excludeCredentials);
          credential = await navigator.credentials.create({ publicKey: options });
        } else {
          options.challenge = fromB64(options.challenge);
          options.allowCredentials = withIds(options.allowCredentials);
          credential = await navigator.credentials.get({ publicKey: options });
        }
        for (const [name, value] of [['passkey_ceremony', body.ceremony], ['passkey_response', JSON.stringify(answer(credential))]]) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        form.submit();
      } catch (e) {
        say(e && e.name === 'NotAllowedError'
          ? 'The passkey was not used (it was cancelled or timed out). Try again, or use your password.'
          : 'Passkeys are not working just now: use your password instead.');
      } finally {
        button.disabled = false;
      }
    });
  }
}

// Reminders (crates/web/src/reminders): turning them on asks the browser for a push
// subscription to this site's key and sends it with the form; the times are in this device's
// own time zone. Without JavaScript, or where the browser cannot, the page offers the calendar
// file instead.
const pushForm = document.querySelector('[data-push-form]');
const pushWorks = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
if (pushForm && pushWorks) {
  pushForm.hidden = false;
  for (const el of document.querySelectorAll('[data-push-nojs]')) el.hidden = true;
  const status = pushForm.querySelector('[data-push-status]');
  const say = (text) => { if (status) status.textContent = text; };
  const key = () => {
    const b64 = pushForm.dataset.key.replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  };
  pushForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    say('Asking your browser to allow notifications…');
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        say('Notifications are blocked for this site. Allow them in your browser settings, or download a calendar reminder instead.');
        return;
      }
      const registration = await navigator.serviceWorker.ready;
      const subscription = (await registration.pushManager.getSubscription())
        || await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() });
      const json = subscription.toJSON();
      pushForm.elements.endpoint.value = json.endpoint;
      pushForm.elements.p256dh.value = json.keys.p256dh;
      pushForm.elements.auth.value = json.keys.auth;
      pushForm.elements.zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
      pushForm.submit();
    } catch (e) {
      say('Your browser could not turn notifications on. Try again, or download a calendar reminder instead.');
    }
  });
}
const pushOff = document.querySelector('[data-push-off]');
if (pushOff && pushWorks) {
  navigator.serviceWorker.ready
    .then((registration) => registration.pushManager.getSubscription())
    .then((subscription) => {
      if (!subscription) return;
      pushOff.hidden = false;
      pushOff.elements.endpoint.value = subscription.endpoint;
      pushOff.addEventListener('submit', async (event) => {
        event.preventDefault();
        try { await subscription.unsubscribe(); } catch (e) { /* the server forgets it anyway */ }
        pushOff.submit();
      });
    })
    .catch(() => {});
}
