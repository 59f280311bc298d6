// The expert's page: taking calls or not, the incoming call with the point's triage note and the
// time left to answer, the call, and wrap-up with "Ready for next call".
import { $, el, errorText, header, showView, signInAndConnect, signOut } from './page.js';
import { clock, languageName, onLanguageChange, outcomeName, ringName, t, topicName, useConfiguredNames } from './i18n.js';
import { CallView, openCamera, stopCamera } from './call.js';
import { MyBookings } from './expert-bookings.js';
import { Ringer } from './ring.js';
import { applySpeaker, DevicePanel } from './devices.js';
import { ExpertCalling } from './callback.js';
import { PartyAdder } from './party.js';

const ROLE = 'expert';
const READY_AT_ONCE = 'palvelurinki.expert.readyAtOnce';
const TITLE_KEY = 'expert.title';
let conn;
let welcome;
let presence = 'offline';
let offer = null; // the offer push, with deadline (performance.now() based)
let wrapUpUntil = null;
let stream = null;
let note = null; // {key, params}: the last thing that happened, shown under the presence
let countdown = null;
let acceptedAt = 0;
let rings = []; // list_rings: each ring's name and call outcomes
let lastCall = null; // {callId, ring, outcome}: the call whose outcome the wrap-up asks for
let accepted = null; // the offer last accepted: what the call is about once it starts
let held = null; // {requestId, waitingFor}: accepted, waiting for the interpreter or the expert to accept too
let joined = false; // in the call as a joined party (an interpreter, a second authority): hanging up leaves it

header(async () => {
  await conn.request('set_presence', { presence: 'offline' }).catch(() => {});
  signOut(ROLE, conn);
});
({ conn, welcome } = await signInAndConnect(ROLE));
const adder = new PartyAdder({ conn, callId: () => view.callId(), rings: () => rings });
const view = new CallView({ conn, onHangup: hangup, controls: adder.element });
const ringer = new Ringer($('ring-audio'));
ringer.bindSettings();
applySpeaker($('ring-audio'));
// Another camera or microphone chosen: the desk's own stream is opened again with it before the next call.
new DevicePanel($('device-box'), { onChange: (kind) => (kind === 'speaker' ? applySpeaker($('ring-audio')) : dropCamera()) });
const calling = new ExpertCalling();
conn.addEventListener('push', (e) => onPush(e.detail));
conn.addEventListener('welcome', (e) => restore(e.detail));
onLanguageChange(render);
$('availability').addEventListener('click', toggleAvailable);
$('accept').addEventListener('click', accept);
$('decline').addEventListener('click', decline);
$('ready').addEventListener('click', ready);
$('outcome-form').addEventListener('submit', recordOutcome);
const readyAtOnce = $('ready-at-once');
readyAtOnce.checked = localStorage.getItem(READY_AT_ONCE) !== 'false';
readyAtOnce.addEventListener('change', () => localStorage.setItem(READY_AT_ONCE, String(readyAtOnce.checked)));
const bookings = new MyBookings(conn);
rings = (await conn.request('list_rings').catch(() => ({ rings: [] }))).rings;
useConfiguredNames(rings);
showView('desk');
await restore(welcome);
await bookings.load();

/** Going available needs a working camera: an expert without one would answer calls with no picture. */
async function ensureCamera() {
  if (stream && stream.getTracks().every((tr) => tr.readyState === 'live')) return true;
  try {
    stream = await openCamera();
    $('preview').srcObject = stream;
    $('camera-error').textContent = '';
    return true;
  } catch (err) {
    $('camera-error').textContent = t(`camera.${err.kind ?? 'notFound'}`);
    return false;
  }
}

function dropCamera() {
  if (view.callId() !== null || !stream) return;
  $('preview').srcObject = null;
  stopCamera(stream);
  stream = null;
  ensureCamera();
}

async function setPresence(p) {
  try {
    await conn.request('set_presence', { presence: p });
    presence = p;
  } catch (err) {
    note = null;
    $('desk-message').textContent = errorText(err);
  }
  render();
}

async function toggleAvailable() {
  $('camera-error').textContent = '';
  if (presence === 'available' || presence === 'offered') {
    await setPresence('away');
    $('preview').srcObject = null;
    stopCamera(stream);
    stream = null;
  } else if (await ensureCamera()) {
    await setPresence('available');
  }
}

function render() {
  const available = ['available', 'offered', 'in_call'].includes(presence);
  const toggle = $('availability');
  toggle.setAttribute('aria-pressed', String(available));
  toggle.disabled = presence === 'in_call';
  $('presence').textContent = t('expert.presence', { presence: t(`presence.${presence}`) });
  $('presence').dataset.presence = presence;
  let text = '';
  if (note) text = t(note.key, note.params);
  else if (presence === 'available') text = t('expert.waitingForCalls');
  else if (presence === 'away' || presence === 'offline') text = t('expert.notAvailable');
  $('desk-message').textContent = text;
  renderOffer();
  renderOfferRole();
  calling.render();
  $('wrap-up').hidden = presence !== 'wrap_up';
  if (wrapUpUntil) $('wrap-up-text').textContent = t('expert.wrapUp', { time: clock(new Date(wrapUpUntil)) });
  renderOutcomes();
  ringer.renderSettings();
  bookings.render();
}

/** The ring's outcomes as radio buttons, for the call that just ended; after saving, what was saved. */
function renderOutcomes() {
  const form = $('outcome-form');
  const ids = lastCall ? rings.find((r) => r.id === lastCall.ring)?.outcomes ?? [] : [];
  form.hidden = ids.length === 0;
  if (form.hidden) return;
  const list = $('outcome-list');
  const chosen = list.querySelector('input:checked')?.value ?? lastCall.outcome;
  list.replaceChildren(...ids.map((id) => {
    const input = el('input', { type: 'radio', name: 'outcome', id: `outcome-${id}`, value: id });
    input.checked = id === chosen;
    input.disabled = lastCall.outcome !== null;
    return el('div', { class: 'field check' }, input, el('label', { for: `outcome-${id}` }, outcomeName(id)));
  }));
  $('outcome-save').hidden = lastCall.outcome !== null;
  if (lastCall.outcome) $('outcome-status').textContent = t('expert.outcomeSaved', { outcome: outcomeName(lastCall.outcome) });
}

async function recordOutcome(e) {
  e.preventDefault();
  if (!lastCall || lastCall.outcome) return;
  const chosen = $('outcome-list').querySelector('input:checked');
  if (!chosen) {
    $('outcome-status').textContent = t('expert.outcomeChoose');
    return;
  }
  try {
    await conn.request('record_outcome', { callId: lastCall.callId, outcome: chosen.value });
    lastCall.outcome = chosen.value;
  } catch (err) {
    $('outcome-status').textContent = errorText(err);
    return;
  }
  render();
}

function showOffer(m) {
  offer = { ...m, deadline: performance.now() + (m.expiresInMs ?? 0) };
  presence = 'offered';
  note = null;
  $('offer-point').textContent = m.pointName ? `${m.pointName} (${m.municipality})` : '';
  $('offer-advisor').textContent = m.advisorName ?? '';
  $('offer-topic').textContent = m.topic ? topicName(m.topic) : '';
  $('offer-language').textContent = m.language ? languageName(m.language) : '';
  $('offer-note').textContent = m.note || t('expert.noNote');
  renderOfferRole();
  calling.offer(m);
  $('offer').hidden = false;
  $('offer').dataset.requestId = m.requestId;
  $('incoming-announcement').textContent = `${t('expert.incoming')}: ${m.pointName ?? ''}`;
  ringer.start(m.pointName ? `${m.pointName} – ${m.advisorName ?? ''}` : t('expert.incoming'));
  clearInterval(countdown);
  countdown = setInterval(renderOffer, 250);
  render();
  $('accept').focus();
}

/**
 * What is asked of this person, when it is more than a call of two: interpreting (and between which
 * languages), a call with an interpreter, or joining a call in progress.
 */
function renderOfferRole() {
  const box = $('offer-role');
  const parts = [];
  if (offer?.role === 'interpreter') {
    parts.push(t('expert.interpreting', { from: languageName(offer.language ?? 'fi'), to: languageName(offer.interpreter ?? '') }));
  } else if (offer?.interpreter) {
    parts.push(t('expert.withInterpreter', { language: languageName(offer.interpreter) }));
  }
  if (offer?.joinCallId) parts.push(t('expert.joinCall'));
  box.textContent = parts.join(' · ');
  box.hidden = parts.length === 0;
  box.dataset.role = offer?.role ?? 'expert';
}

function renderOffer() {
  if (!offer) return;
  const left = Math.max(0, Math.ceil((offer.deadline - performance.now()) / 1000));
  const known = offer.expiresInMs !== undefined;
  $('offer-remaining').hidden = !known;
  $('offer-remaining').textContent = t('expert.remaining', { seconds: left });
  const bar = $('offer-progress');
  bar.hidden = !known;
  bar.max = Math.max(1, Math.round(offer.expiresInMs / 1000));
  bar.value = left;
}

function hideOffer() {
  ringer.stop();
  offer = null;
  clearInterval(countdown);
  $('offer').hidden = true;
  $('incoming-announcement').textContent = '';
  document.title = t(TITLE_KEY);
}

async function accept() {
  if (!offer) return;
  acceptedAt = performance.now();
  if (!(await ensureCamera())) return;
  accepted = offer;
  const { requestId } = offer;
  try {
    // A call-back: the point is rung now, and the call connects when someone there answers.
    if (calling.accepted(await conn.request('accept_offer', { requestId }))) hideOffer();
  } catch (err) {
    hideOffer();
    presence = 'available';
    note = null;
    render();
    $('desk-message').textContent = errorText(err);
  }
}

async function decline() {
  if (!offer) return;
  const { requestId } = offer;
  hideOffer();
  presence = 'available';
  render();
  await conn.request('decline_offer', { requestId }).catch(() => {});
}

async function hangup() {
  const callId = view.callId();
  if (callId !== null) await conn.request('hangup', { callId }).catch(() => {});
}

async function ready() {
  try {
    await conn.request('end_wrap_up');
    presence = 'available';
    wrapUpUntil = null;
    note = null;
  } catch (err) {
    note = null;
    $('desk-message').textContent = errorText(err);
  }
  render();
  $('availability').focus();
}

function onPush(m) {
  switch (m.type) {
    case 'offer':
      showOffer(m);
      break;
    case 'offer_held':
      // Accepted, but the call starts only when the other of a joint offer accepts too.
      held = { requestId: m.requestId, waitingFor: m.waitingFor };
      hideOffer();
      note = { key: m.waitingFor === 'expert' ? 'expert.held.expert' : 'expert.held.interpreter' };
      render();
      break;
    case 'offer_revoked':
      if (calling.stop(m.requestId) || (offer && offer.requestId === m.requestId)
          || (held && held.requestId === m.requestId)) {
        held = null;
        hideOffer();
        if (presence === 'offered') presence = 'available';
        note = { key: `expert.revoked.${m.reason}` };
        render();
      }
      break;
    case 'presence':
      presence = m.presence;
      if (m.presence === 'away') note = { key: 'expert.setAway' };
      else if (m.presence === 'available') note = { key: 'expert.backAvailable' };
      if (m.presence !== 'offered') {
        hideOffer();
        calling.stop();
      }
      render();
      break;
    case 'call_connected': {
      calling.stop();
      const about = offer ?? accepted;
      const who = about?.advisorName ? `${m.point.name} – ${about.advisorName}` : m.point.name;
      const context = callContext(about, m.ring);
      hideOffer();
      held = null;
      joined = false;
      note = null;
      adder.reset();
      presence = 'in_call';
      lastCall = null;
      $('outcome-status').textContent = '';
      render();
      view.open({ callId: m.callId, initiator: m.initiator, otherName: who, stream, startedAt: acceptedAt, context,
        self: m.party, members: m.members });
      lastCall = { callId: m.callId, ring: m.ring, outcome: null };
      break;
    }
    case 'call_joined': {
      // A call in progress (or one starting with an interpreter): this side offers to everyone in it.
      calling.stop();
      const about = offer ?? accepted;
      const context = callContext(about, m.ring, m.role);
      hideOffer();
      held = null;
      joined = true;
      note = null;
      presence = 'in_call';
      lastCall = null;
      $('outcome-status').textContent = '';
      adder.reset();
      render();
      // No outcome to record afterwards: the call's outcome is the answering expert's (the broker refuses others').
      view.join({ callId: m.callId, self: m.party, members: m.members, stream, startedAt: acceptedAt, context });
      break;
    }
    case 'party_joined':
      if (m.callId !== view.callId()) break;
      view.partyJoined(m.member);
      adder.onPush(m);
      break;
    case 'party_request_ended':
      adder.onPush(m);
      break;
    case 'party_left':
      if (m.callId !== view.callId()) break;
      adder.onPush({ ...m, name: view.partyName(m.party) });
      view.partyLeft(m.party);
      break;
    case 'call_ended':
      if (m.callId !== view.callId()) break;
      view.close();
      if (joined) lastCall = null;
      else if (!lastCall || lastCall.callId !== m.callId) {
        // Rejoined after a reload: the ring is known when the expert answers for one only.
        const mine = welcome.rings ?? [];
        lastCall = { callId: m.callId, ring: mine.length === 1 ? mine[0] : null, outcome: null };
      }
      presence = 'wrap_up';
      wrapUpUntil = m.wrapUpUntil ?? null;
      // A joined party that hung up left a call that goes on without them.
      note = { key: joined && m.reason === 'expert_hung_up' ? 'call.left' : `call.ended.${m.reason}` };
      joined = false;
      adder.reset();
      showView('desk');
      render();
      $('ready').focus();
      break;
    case 'booking':
      bookings.onPush(m);
      break;
    default:
      break;
  }
}

/** What the call is about, from the offer, kept in sight for the whole call (docs/pages.md). */
function callContext(o, ringId, role = null) {
  if (!o) return [];
  const ring = rings.find((r) => r.id === ringId);
  return [
    { key: 'call.yourRole', value: () => (role === 'interpreter' ? t('call.role.interpreter') : '') },
    { key: 'call.interpreter', value: () => (o.interpreter ? languageName(o.interpreter) : '') },
    { key: 'call.ring', value: () => (ring ? ringName(ring) : o.ringName ?? ringId) },
    { key: 'expert.from', value: () => (o.pointName ? `${o.pointName} (${o.municipality})` : '') },
    { key: 'expert.topic', value: () => (o.topic ? topicName(o.topic) : '') },
    { key: 'expert.language', value: () => (o.language ? languageName(o.language) : '') },
    { key: 'call.kind', value: () => (o.kind === 'booked' ? t('call.booked') : '') },
    { key: 'expert.note', value: () => o.note || t('expert.noNote') },
  ];
}

/** Brings the page to the server's state: after signing in, a reload, or a session that could not be resumed. */
async function restore(w) {
  if (w.resumed) return;
  const s = w.state;
  presence = s.presence;
  wrapUpUntil = s.wrapUpUntil ?? null;
  if (s.presence === 'offered' && s.offeredRequestId !== undefined) {
    showOffer({ requestId: s.offeredRequestId }); // the details went with the old page; accept or decline still work
  } else {
    hideOffer();
  }
  if (s.presence === 'in_call' && s.callId !== undefined && view.callId() !== s.callId) {
    if (await ensureCamera()) view.rejoin({ callId: s.callId, otherName: '', stream, self: s.party, members: s.members });
  } else if (s.presence === 'offline' && readyAtOnce.checked) {
    // Signing in is starting the shift: the expert takes calls at once unless they chose otherwise.
    if (await ensureCamera()) await setPresence('available');
  } else if (s.presence === 'available' || s.presence === 'offered') {
    await ensureCamera();
  }
  render();
}
