// Progressive enhancement only: every page works without this file.
import { initAll } from './nhsuk.js';

initAll();

// "Print this page" buttons are hidden without JavaScript (browsers have their own print).
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

// The guided calf stretch. The page carries the step texts and the settings in the DOM
// (rendered from the same content data as the CLI), so no clinical text lives here.
const timer = document.querySelector('[data-stretch-timer]');
if (timer) {
  const form = document.querySelector('[data-stretch-settings]');
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
  let running = null;

  timer.hidden = false;

  const settings = () => {
    const reps = Math.min(30, Math.max(1, Number(form.elements.reps.value) || 5));
    const hold = Math.min(60, Math.max(1, Number(form.elements.hold.value) || 5));
    return { reps, hold };
  };

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

  const finish = (message) => {
    clearInterval(running);
    running = null;
    start.hidden = false;
    stop.hidden = true;
    step.textContent = message;
    say(message);
    start.focus();
  };

  start.addEventListener('click', () => {
    const { reps, hold } = settings();
    const total = reps * hold;
    let done = 0;
    let current = 1;
    let left = hold;
    progress.max = total;
    progress.value = 0;
    start.hidden = true;
    stop.hidden = false;
    stop.focus();
    const showRep = () => {
      rep.textContent = `Repetition ${current} of ${reps}`;
      step.textContent = `${steps[holdStep - 1]} ${steps[holdStep]}`;
      count.textContent = String(left);
      say(`Repetition ${current} of ${reps}. ${steps[holdStep - 1]} Hold for ${hold} seconds.`);
    };
    showRep();
    running = setInterval(() => {
      left -= 1;
      done += 1;
      progress.value = done;
      count.textContent = String(Math.max(left, 0));
      if (left > 0) return;
      beep();
      if (current >= reps) {
        finish(`${steps[holdStep + 1]} Finished: ${reps} repetitions.`);
        return;
      }
      current += 1;
      left = hold;
      showRep();
    }, 1000);
  });

  stop.addEventListener('click', () => finish('Stopped.'));
}
