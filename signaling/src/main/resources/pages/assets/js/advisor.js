// The advisor's page at a service point: choose the service, topic and language, write a note, and
// "Call now". The camera is checked before the request is sent, so that no expert is ever offered a
// call from a point without a picture. Then the queue position, and the call in full screen.
import { $, el, errorText, header, showView, signInAndConnect, signOut } from './page.js';
import { duration, language, languageName, onLanguageChange, ringName, t, topicName, useConfiguredNames } from './i18n.js';
import { CallView, openCamera, stopCamera } from './call.js';
import { BookingScreen } from './advisor-booking.js';
import { DevicePanel } from './devices.js';
import { AdvisorCallbacks } from './callback.js';
import { interpretingLanguages, isInterpreterRing, PartyAdder } from './party.js';

const ROLE = 'advisor';
const RING_REFRESH_MS = 10000;
let conn;
let welcome;
let rings = []; // the rings a call can be asked from (interpreter rings are asked for through `interpreter`)
let allRings = []; // list_rings as it came: interpreter rings tell which languages they interpret
let request = null; // {requestId, ring, position, estimatedWaitSeconds, ringing}
let stream = null;
let requestedAt = 0;
let message = null; // {key, params}: what happened last, shown on the request form
let booking = null; // the booking screen, beside the request form
let asked = null; // {ring, topic, language, note}: what the waiting request is about, shown in the call
let passedOn = 0; // times the request rang and came back (declined or not answered)
let waitedTimer = null;

header(() => signOut(ROLE, conn));
({ conn, welcome } = await signInAndConnect(ROLE));
const adder = new PartyAdder({ conn, callId: () => view.callId(), rings: () => allRings });
const view = new CallView({ conn, onHangup: hangup, controls: adder.element });
const callbacks = new AdvisorCallbacks(conn, { answer: answerCallback, convert: toCallback });
conn.addEventListener('push', (e) => onPush(e.detail));
conn.addEventListener('welcome', (e) => restore(e.detail));
onLanguageChange(render);
$('request-form').addEventListener('submit', callNow);
$('ring').addEventListener('change', () => fillRingChoices());
$('note').addEventListener('input', renderNoteCount);
$('cancel').addEventListener('click', cancel);
new DevicePanel($('device-box'));
renderNoteCount();
await loadRings();
setInterval(refreshRings, RING_REFRESH_MS);
booking = new BookingScreen(conn, rings, startBooked);
booking.setInterpreting(interpretingLanguages(allRings));
await restore(welcome);
await booking.load();

async function loadRings() {
  const reply = await conn.request('list_rings');
  allRings = reply.rings;
  rings = allRings.filter((r) => !isInterpreterRing(r));
  useConfiguredNames(allRings);
  fillInterpreters();
  if (booking) booking.setRings(rings);
  if (booking) booking.setInterpreting(interpretingLanguages(allRings));
  const select = $('ring');
  const chosen = select.value;
  select.replaceChildren(...rings.map((r) => el('option', { value: r.id }, ringName(r))));
  if (rings.some((r) => r.id === chosen)) select.value = chosen;
  fillRingChoices();
}

/** The wait shown before calling is the queue's own and current: asked again every few seconds. */
async function refreshRings() {
  if (request || $('request').hidden) return;
  const reply = await conn.request('list_rings').catch(() => null);
  if (!reply) return;
  const ids = (list) => list.map((r) => r.id).join();
  if (ids(reply.rings) !== ids(allRings)) {
    await loadRings();
    return;
  }
  allRings = reply.rings;
  rings = allRings.filter((r) => !isInterpreterRing(r));
  if (booking) booking.setRings(rings);
  renderRingHint();
}

/** The optional interpreter: none, or a language the interpreters serve. */
function fillInterpreters() {
  const select = $('interpreter');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, t('advisor.noInterpreter')),
    ...interpretingLanguages(allRings).map((code) => el('option', { value: code }, languageName(code))));
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : '';
}

function ring() {
  return rings.find((r) => r.id === $('ring').value);
}

/** Topics and languages of the chosen ring; the page's language first when the ring serves it. */
function fillRingChoices() {
  const r = ring();
  if (!r) return;
  const topic = $('topic');
  const previousTopic = topic.value;
  const topics = r.topics.length > 0 ? r.topics : ['general'];
  topic.replaceChildren(...topics.map((id) => el('option', { value: id }, topicName(id))));
  topic.value = topics.includes(previousTopic) ? previousTopic : topics.includes('general') ? 'general' : topics[0];
  const lang = $('customer-language');
  const previousLanguage = lang.value;
  lang.replaceChildren(...r.languages.map((code) => el('option', { value: code }, languageName(code))));
  lang.value = r.languages.includes(previousLanguage) ? previousLanguage
    : r.languages.includes(language()) ? language() : r.languages[0];
  renderRingHint();
}

function renderRingHint() {
  const r = ring();
  if (!r) return;
  // Only what the queue itself would say: "free now" while an expert is free, no estimate without experts.
  let key = 'advisor.ringOpen';
  if (!r.open) key = 'advisor.ringClosed';
  else if (r.estimatedWaitSeconds === null) key = 'advisor.ringNobody';
  else if (r.available > 0 || r.estimatedWaitSeconds === 0) key = 'advisor.ringFree';
  $('ring-hint').textContent = t(key, { name: ringName(r), staffed: r.staffed, wait: duration(r.estimatedWaitSeconds) });
}

function renderNoteCount() {
  $('note-count').textContent = t('advisor.noteCount', { n: $('note').value.length });
}

function render() {
  $('ring').querySelectorAll('option').forEach((o) => { o.textContent = ringName(rings.find((r) => r.id === o.value)); });
  callbacks.render();
  fillRingChoices();
  fillInterpreters();
  if (booking) booking.setInterpreting(interpretingLanguages(allRings));
  renderNoteCount();
  renderQueue();
  $('request-message').textContent = message ? t(message.key, message.params) : '';
  if (booking) booking.render();
}

async function callNow(e) {
  e.preventDefault();
  // The note stays in the form until the call connects: a cancelled request can be asked for again as it was.
  const interpreter = $('interpreter').value || undefined;
  asked = { ring: ringName(ring()), topic: $('topic').value, language: $('customer-language').value, note: $('note').value,
    interpreter };
  await requestWithCamera($('call-now'), $('request-error'), () => conn.request('request_call', {
    ring: $('ring').value, topic: $('topic').value, language: $('customer-language').value,
    fallbackConsent: $('fallback').checked, note: $('note').value, interpreter,
  }));
}

/** "Start booked call": the booked call is asked for like Call now, camera first (docs/protocol.md). */
function startBooked(b) {
  asked = { ring: b.serviceName, topic: null, language: b.language, note: b.note, booked: true };
  return requestWithCamera($(`start-booking-${b.id}`), $('bookings-error'),
    () => conn.request('start_booking', { bookingId: b.id }));
}

/**
 * Opens the camera and checks it, and only then sends the request (send() resolves with `queued`):
 * no expert is offered a call from a point without a picture. Resolves true once the request waits.
 */
async function requestWithCamera(button, errorBox, send) {
  if (button.disabled) return false;
  requestedAt = performance.now();
  button.disabled = true;
  errorBox.textContent = '';
  $('request-message').textContent = t('advisor.checkingCamera');
  message = null;
  try {
    stream = await openCamera();
  } catch (err) {
    $('request-message').textContent = '';
    errorBox.textContent = `${t(`camera.${err.kind ?? 'notFound'}`)} ${t('camera.notRequested')}`;
    button.disabled = false;
    return false;
  }
  try {
    const q = await send();
    request = { requestId: q.requestId, ring: q.ring, position: q.position,
      estimatedWaitSeconds: q.estimatedWaitSeconds, ringing: q.position === 0 };
    waiting();
    return true;
  } catch (err) {
    stopCamera(stream);
    stream = null;
    $('request-message').textContent = '';
    errorBox.textContent = errorText(err);
    return false;
  } finally {
    button.disabled = false;
  }
}

/** Shows the queue with the camera's picture; a camera that goes away takes the request back. */
function waiting() {
  $('preview').srcObject = stream;
  stream.getTracks().forEach((tr) => tr.addEventListener('ended', cameraLost));
  passedOn = 0;
  $('queue-note').textContent = '';
  clearInterval(waitedTimer);
  waitedTimer = setInterval(renderWaited, 1000);
  renderQueue();
  showView('waiting');
}

/** How long the point has waited, from its click (or, after a reload, from when this page took it over). */
function renderWaited() {
  if (!request) return;
  const seconds = Math.max(0, Math.floor((performance.now() - (request.since ?? requestedAt)) / 1000));
  $('waited').textContent = t('advisor.waited', { time: duration(seconds) });
  $('waited').dataset.seconds = seconds;
}

async function cameraLost() {
  if (!request || view.callId() !== null) return;
  await cancel();
  message = { key: 'camera.lost' };
  render();
}

function renderQueue() {
  if (!request) return;
  const status = $('queue-status');
  if (request.ringing) status.textContent = t('advisor.ringing');
  else if (request.estimatedWaitSeconds === 0) {
    status.textContent = t('advisor.positionFree', { position: request.position });
  } else if (request.estimatedWaitSeconds === null) {
    status.textContent = t('advisor.positionNoEstimate', { position: request.position });
  } else {
    status.textContent = t('advisor.position', { position: request.position, wait: duration(request.estimatedWaitSeconds) });
  }
  status.dataset.position = request.position;
  renderWaited();
}

async function cancel() {
  if (!request) return;
  try {
    await conn.request('cancel_request', { requestId: request.requestId });
    finish({ key: 'advisor.cancelled' });
  } catch (err) {
    $('queue-status').textContent = errorText(err);
  }
}

async function hangup() {
  const callId = view.callId();
  if (callId !== null) await conn.request('hangup', { callId }).catch(() => {});
}

/** Back to the form after a request or call ended, saying why. */
function finish(why) {
  view.close();
  adder.reset();
  clearInterval(waitedTimer);
  $('preview').srcObject = null;
  stopCamera(stream);
  stream = null;
  request = null;
  message = why;
  showView('request');
  loadRings().then(render);
}

/** Answering a call-back is asking for a call: the camera first, then the call connects as any other. */
async function answerCallback(requestId) {
  requestedAt = performance.now();
  if (!stream) stream = await openCamera();
  request = { requestId, ringing: true };
  await conn.request('answer_callback', { requestId });
}

/** The waiting request becomes a call-back: the point is free (and the camera off) until it rings. */
async function toCallback() {
  if (request && await callbacks.convert(request.requestId)) finish(null);
}

function onPush(m) {
  if (callbacks.onPush(m)) return;
  if (m.callId !== undefined && m.callId === view.callId()) {
    if (m.type === 'party_joined') view.partyJoined(m.member);
    if (['party_joined', 'party_request_ended'].includes(m.type)) adder.onPush(m);
    if (m.type === 'party_left') {
      adder.onPush({ ...m, name: view.partyName(m.party) });
      view.partyLeft(m.party);
    }
  }
  const mine = request && m.requestId === request.requestId;
  switch (m.type) {
    case 'queue_update':
      if (mine) Object.assign(request, { position: m.position, estimatedWaitSeconds: m.estimatedWaitSeconds });
      renderQueue();
      break;
    case 'ringing':
      if (mine) {
        if (request.ringing && !m.ringing) {
          // The expert declined or did not answer in time: the request keeps its place for the next one.
          passedOn++;
          $('queue-note').textContent = t('advisor.passedOn');
          $('queue-note').dataset.passedOn = passedOn;
        }
        request.ringing = m.ringing;
      }
      renderQueue();
      break;
    case 'escalated':
      if (mine) {
        $('queue-status').textContent = t('advisor.escalated', { languages: m.languages.map(languageName).join(', ') });
      }
      break;
    case 'request_ended':
      if (mine) finish({ key: `advisor.ended.${m.reason}` });
      break;
    case 'call_connected': {
      clearInterval(waitedTimer);
      const about = asked ?? {};
      if (!about.booked) $('note').value = '';
      renderNoteCount();
      adder.reset();
      view.open({ callId: m.callId, initiator: m.initiator, otherName: m.expert.name, stream, startedAt: requestedAt,
        self: m.party, members: m.members,
        context: [
          { key: 'call.ring', value: () => about.ring ?? '' },
          { key: 'advisor.topic', value: () => (about.topic ? topicName(about.topic) : '') },
          { key: 'advisor.language', value: () => (about.language ? languageName(about.language) : '') },
          { key: 'call.interpreter', value: () => (about.interpreter ? languageName(about.interpreter) : '') },
          { key: 'call.kind', value: () => (about.booked ? t('call.booked') : '') },
          { key: 'advisor.note', value: () => about.note ?? '' },
        ] });
      break;
    }
    case 'call_ended':
      if (m.callId === view.callId()) finish({ key: `call.ended.${m.reason}` });
      break;
    case 'booking':
      if (booking) booking.onPush(m); // before the screen is up, its first load brings the change
      break;
    default:
      break;
  }
}

/**
 * Brings the page to what the server says is going on: after signing in, after a reload, or when a
 * dropped session could not be resumed.
 */
async function restore(w) {
  if (w.resumed) return;
  const active = callbacks.restore(w.state.requests ?? []).find((r) => r.state !== 'ended');
  if (!active) {
    if (request || view.callId() !== null) finish(null);
    else showView('request');
    return;
  }
  if (!stream) {
    try {
      stream = await openCamera();
    } catch {
      // Without a camera this request must not reach an expert: it is taken back.
      request = { requestId: active.requestId };
      await cancel();
      message = { key: 'camera.lost' };
      render();
      return;
    }
  }
  request = { requestId: active.requestId, ring: active.ring, position: active.position ?? 0,
    estimatedWaitSeconds: active.estimatedWaitSeconds ?? null, ringing: active.state === 'offered',
    since: performance.now() };
  if (active.state === 'connected') {
    if (view.callId() === active.callId) return;
    view.rejoin({ callId: active.callId, otherName: '', stream, self: active.party, members: active.members });
  } else {
    waiting();
  }
}
