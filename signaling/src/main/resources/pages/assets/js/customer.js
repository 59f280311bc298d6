// The customer's page for a booking from home (/join/<token>, docs/pages.md): the link is checked, then
// a device check (camera and microphone preview, microphone level, choice of devices), the waiting room,
// the call with the expert, and an end page. The token in the address is the customer's only credential.
import { $, el, header, showView } from './page.js';
import { LANGUAGES, language, onLanguageChange } from './i18n.js';
import { Connection } from './protocol.js';
import { CallView, stopCamera } from './call.js';

const TEXTS = Object.fromEntries(await Promise.all(LANGUAGES.map(async (l) => {
  const r = await fetch(`/assets/i18n/customer-${l}.json`);
  return [l, await r.json()];
})));

function ct(key, params = {}) {
  const text = TEXTS[language()][key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

const token = decodeURIComponent(location.pathname.slice('/join/'.length));
const state = { view: 'loading', problem: null, booking: null, validFrom: null, validUntil: null, waiting: 'waitingExpert',
  ended: null };
let conn = null;
let stream = null;
let callView = null;
let joinAt = 0;
let meterLoop = 0;
let audio = null;

window.palvelurinki = window.palvelurinki ?? {};

function when(iso) {
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language()];
  return new Date(iso).toLocaleString(locale, { weekday: 'long', day: 'numeric', month: 'numeric', hour: '2-digit',
    minute: '2-digit', timeZone: 'Europe/Helsinki' });
}

function what() {
  return state.booking ? ct('what', { service: state.booking.serviceName, time: when(state.booking.start) }) : '';
}

/** Every text of the page in the chosen language; called again when the language changes. */
function render() {
  document.documentElement.lang = language();
  document.title = ct('title');
  document.querySelectorAll('[data-c]').forEach((e) => { e.textContent = ct(e.dataset.c); });
  document.querySelectorAll('[data-c-label]').forEach((e) => e.setAttribute('aria-label', ct(e.dataset.cLabel)));
  $('booking-what').textContent = what();
  $('waiting-what').textContent = what();
  $('waiting-status').textContent = ct(state.waiting);
  if (state.problem) {
    $('problem-title').textContent = ct(`problem.${state.problem}.title`);
    $('problem-text').textContent = ct(`problem.${state.problem}.text`);
    $('problem-when').textContent = state.problem === 'not_yet' && state.validFrom
      ? ct('opensAt', { time: when(state.validFrom) }) : what();
  }
  if (state.deviceProblem) $('device-error').textContent = ct(`device.${state.deviceProblem}`);
  if (state.ended) {
    $('ended-text').textContent = ct(`ended.${state.ended}`, { time: state.validUntil ? when(state.validUntil) : '' });
  }
}

function show(view) {
  state.view = view;
  render();
  showView(view);
}

function problem(kind) {
  state.problem = kind;
  stopDevices();
  callView?.close();
  conn?.close();
  show('problem');
}

// ------------------------------------------------------------------ the link

async function checkLink() {
  let body;
  try {
    const r = await fetch(`/api/join/${encodeURIComponent(token)}`, { cache: 'no-store' });
    body = await r.json();
  } catch {
    body = { state: 'unreachable' };
  }
  state.booking = body.booking ?? null;
  state.validFrom = body.validFrom ?? null;
  state.validUntil = body.validUntil ?? null;
  return body.state;
}

// ------------------------------------------------------------------ device check

/** Which device failed, told apart by asking for each alone: camera_denied, no_camera, microphone_denied, no_microphone. */
async function diagnose(error) {
  const denied = error.name === 'NotAllowedError' || error.name === 'SecurityError';
  for (const [kind, constraints] of [['camera', { video: true }], ['microphone', { audio: true }]]) {
    try {
      const s = await navigator.mediaDevices.getUserMedia(constraints);
      s.getTracks().forEach((tr) => tr.stop());
    } catch (e) {
      const refused = e.name === 'NotAllowedError' || e.name === 'SecurityError';
      return `${refused ? `${kind}_denied` : `no_${kind}`}`;
    }
  }
  return denied ? 'camera_denied' : 'in_use';
}

async function startDevices() {
  stopDevices();
  state.deviceProblem = null;
  $('device-error').textContent = '';
  $('join').disabled = true;
  $('retry-devices').hidden = true;
  if (!navigator.mediaDevices?.getUserMedia) {
    deviceFailed('unsupported');
    return;
  }
  const cam = $('camera-choice').value;
  const mic = $('mic-choice').value;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: cam ? { deviceId: { exact: cam } } : { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: mic ? { deviceId: { exact: mic }, echoCancellation: true } : { echoCancellation: true, noiseSuppression: true },
    });
  } catch (e) {
    deviceFailed(await diagnose(e));
    return;
  }
  $('preview').srcObject = stream;
  await listDevices();
  startMeter();
  $('join').disabled = false;
}

function deviceFailed(kind) {
  state.deviceProblem = kind;
  render();
  $('retry-devices').hidden = false;
  if (['camera_denied', 'no_camera', 'microphone_denied', 'no_microphone'].includes(kind)) {
    conn.request('device_check', { problem: kind }).catch(() => {});
  }
}

async function listDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const fill = (select, kind, track) => {
    const current = track?.getSettings().deviceId;
    select.replaceChildren(...devices.filter((d) => d.kind === kind).map((d, i) => {
      const o = el('option', { value: d.deviceId }, d.label || `${ct(kind === 'videoinput' ? 'camera' : 'microphone')} ${i + 1}`);
      o.selected = d.deviceId === current;
      return o;
    }));
  };
  fill($('camera-choice'), 'videoinput', stream.getVideoTracks()[0]);
  fill($('mic-choice'), 'audioinput', stream.getAudioTracks()[0]);
}

/** The microphone's level, so that the customer sees they are heard before they join. */
function startMeter() {
  try {
    audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(stream).connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const tick = () => {
      analyser.getByteTimeDomainData(data);
      let peak = 0;
      for (const v of data) peak = Math.max(peak, Math.abs(v - 128));
      $('mic-level').value = Math.min(100, Math.round((peak / 128) * 200));
      meterLoop = requestAnimationFrame(tick);
    };
    tick();
  } catch {
    // No level then; the call works without it.
  }
}

function stopDevices() {
  cancelAnimationFrame(meterLoop);
  audio?.close().catch(() => {});
  audio = null;
}

// ------------------------------------------------------------------ waiting room and call

async function join() {
  joinAt = performance.now();
  cancelAnimationFrame(meterLoop);
  state.waiting = 'waitingExpert';
  show('waiting');
  try {
    await conn.request('join');
  } catch (e) {
    problem(e.code === 'booking_closed' ? 'revoked' : 'unreachable');
  }
}

function onPush(m) {
  if (m.type === 'ringing') {
    state.waiting = m.ringing ? 'ringing' : 'waitingExpert';
    render();
  } else if (m.type === 'call_connected') {
    callView.open({ callId: m.callId, initiator: m.initiator, otherName: m.expert.name, stream, startedAt: joinAt });
  } else if (m.type === 'call_ended') {
    end(m.reason === 'advisor_hung_up' ? 'byYou' : m.reason === 'expert_hung_up' ? 'byExpert' : 'other');
  } else if (m.type === 'request_ended') {
    state.waiting = 'requestEnded';
    render();
  }
}

function end(reason) {
  callView.close();
  stopDevices();
  stopCamera(stream);
  stream = null;
  state.ended = reason;
  conn.close();
  show('ended');
}

async function main() {
  header(null);
  onLanguageChange(render);
  render();
  const link = await checkLink();
  if (link !== 'valid') {
    problem(link);
    return;
  }
  conn = new Connection(token);
  conn.addEventListener('taken_over', () => problem('taken_over'));
  conn.addEventListener('push', (e) => onPush(e.detail));
  conn.addEventListener('status', (e) => {
    const line = $('connection');
    line.dataset.state = e.detail;
    line.textContent = e.detail === 'online' ? '' : ct(`connection.${e.detail}`);
  });
  try {
    await conn.open();
  } catch {
    problem('unreachable');
    return;
  }
  callView = new CallView({
    conn,
    onHangup: () => {
      const callId = callView.callId();
      conn.request('hangup', { callId }).catch(() => {});
      end('byYou');
    },
  });
  $('join').addEventListener('click', join);
  $('retry-devices').addEventListener('click', startDevices);
  $('camera-choice').addEventListener('change', startDevices);
  $('mic-choice').addEventListener('change', startDevices);
  $('leave').addEventListener('click', () => end('left'));
  document.addEventListener('click', () => audio?.resume().catch(() => {}));
  show('device');
  await startDevices();
}

main();
