// The operator's board: one row per service ring, kept current by the server's ring_status pushes
// (watch_rings), never by polling. Only the longest wait is advanced here between pushes, since it
// grows by itself while nothing else happens. Rings in trouble are marked (service level today below
// target, or open with nobody present); under the table, each ring's experts by name and state, and
// forms that change what the operator API allows (docs/api.md): a ring's settings and an expert's rings.
import { $, api, el, errorText, header, signInAndConnect, signOut } from './page.js';
import { initHistory } from './history.js';
import { clock, duration, language, languageName, onLanguageChange, t } from './i18n.js';

const ROLE = 'operator';
const COLUMNS = ['name', 'open', 'waiting', 'longestWait', 'estimatedWait', 'experts', 'offersPending', 'callsInProgress',
  'today', 'serviceLevel'];
let conn;
const rings = new Map(); // id -> {status, receivedAt}
let updatedAt = null;
let experts = []; // GET /api/experts: name, rings, presence
let editing = null; // {kind: 'ring'|'expert', id}
let peopleTimer = null;
let peopleShown = '';
/** The service level the board holds rings to, as the report's default target (docs/analytics.md). */
const SL_TARGET = 0.8;
const FALLBACK_LANGUAGES = ['fi', 'sv', 'se', 'en'];

header(() => signOut(ROLE, conn));
({ conn } = await signInAndConnect(ROLE));
conn.addEventListener('push', (e) => {
  if (e.detail.type === 'ring_status') {
    put(e.detail.ring);
    renderRow(e.detail.ring.id);
    renderUpdated();
    loadPeopleSoon();
  }
});
// A session that could not be resumed has forgotten that we watch.
conn.addEventListener('welcome', (e) => {
  if (!e.detail.resumed) watch();
});
onLanguageChange(() => {
  renderAll();
  renderPeople();
});
initHistory(conn);
$('ring-form').addEventListener('submit', saveRing);
$('ring-cancel').addEventListener('click', closeEdit);
$('member-form').addEventListener('submit', saveMember);
$('member-cancel').addEventListener('click', closeEdit);
await watch();
await loadPeople();
setInterval(renderLongestWaits, 1000);

async function watch() {
  const reply = await conn.request('watch_rings');
  rings.clear();
  reply.rings.forEach(put);
  renderAll();
}

function put(status) {
  rings.set(status.id, { status, receivedAt: performance.now() });
  updatedAt = new Date();
}

function renderAll() {
  const body = $('rings');
  body.replaceChildren();
  for (const id of [...rings.keys()].sort()) {
    const row = el('tr', { 'data-ring': id });
    for (const c of COLUMNS) {
      // The edit button is made once per row: pushes every second must not take the focus from it.
      row.append(c === 'name' ? el('th', { scope: 'row', 'data-field': c }, el('span', { class: 'ring-name' }),
        el('span', { class: 'alerts' }), ' ', el('button', { type: 'button', class: 'quiet-small', 'data-edit': id,
          onclick: () => openRing(id) }, t('operator.edit', { name: rings.get(id).status.name })))
        : el('td', { 'data-field': c }));
    }
    body.append(row);
    renderRow(id);
  }
  renderUpdated();
}

function renderUpdated() {
  $('updated').textContent = updatedAt ? t('operator.updated', { time: clock(updatedAt, { seconds: true }) }) : '';
}

function longestWait(id) {
  const { status, receivedAt } = rings.get(id);
  if (status.waiting === 0) return 0;
  return status.longestWaitSeconds + (performance.now() - receivedAt) / 1000;
}

function renderLongestWaits() {
  for (const id of rings.keys()) {
    const cell = document.querySelector(`tr[data-ring="${CSS.escape(id)}"] [data-field="longestWait"]`);
    if (cell) cell.textContent = duration(longestWait(id));
  }
}

function renderRow(id) {
  let row = document.querySelector(`tr[data-ring="${CSS.escape(id)}"]`);
  if (!row) {
    renderAll();
    row = document.querySelector(`tr[data-ring="${CSS.escape(id)}"]`);
  }
  const s = rings.get(id).status;
  const cell = (field, text, value = null) => {
    const c = row.querySelector(`[data-field="${field}"]`);
    c.textContent = text;
    if (value !== null) c.dataset.value = value;
  };
  const x = s.experts;
  const present = x.available + x.offered + x.in_call + x.wrap_up;
  // Not by colour alone: the name cell says what is wrong.
  const alerts = [];
  if (s.open && present === 0) alerts.push('nobody');
  if (s.serviceLevelToday !== null && s.serviceLevelToday < SL_TARGET) alerts.push('serviceLevel');
  row.dataset.alert = alerts.join(' ');
  row.querySelector('.ring-name').textContent = s.name;
  row.querySelector('.alerts').replaceChildren(...alerts.map((a) => el('span', { class: `alert alert-${a}` },
    t(`operator.alert.${a}`, { target: Math.round(SL_TARGET * 100) }))));
  cell('open', t(s.open ? 'yes' : 'no'), s.open);
  cell('waiting', String(s.waiting), s.waiting);
  cell('longestWait', duration(longestWait(id)));
  // An estimate only for someone waiting: with nobody waiting it would be a promise nobody made.
  cell('estimatedWait', s.waiting === 0 ? (x.available > 0 ? t('operator.freeNow') : t('none'))
    : duration(s.estimatedWaitSeconds));
  cell('experts', t('operator.expertsValue', x), x.available);
  cell('offersPending', String(s.offersPending), s.offersPending);
  cell('callsInProgress', String(s.callsInProgress), s.callsInProgress);
  cell('today', t('operator.todayValue', { answered: s.answeredToday, queued: s.queuedToday, abandoned: s.abandonedToday }),
    s.answeredToday);
  cell('serviceLevel', s.serviceLevelToday === null ? t('none')
    : t('operator.serviceLevelValue', { percent: Math.round(s.serviceLevelToday * 100), threshold: s.serviceLevelThresholdSeconds }));
}

function loadPeopleSoon() {
  if (peopleTimer) return;
  peopleTimer = setTimeout(() => {
    peopleTimer = null;
    loadPeople();
  }, 500);
}

async function loadPeople() {
  try {
    experts = (await api(conn, 'GET', '/experts')).experts;
    $('people-error').textContent = '';
  } catch (e) {
    $('people-error').textContent = errorText(e);
  }
  renderPeople();
}

/** Per ring, its experts by name and state, each with a button to change their rings. */
function renderPeople() {
  const box = $('people');
  // Redrawn only when something shown changed, so that a focused button stays where it is.
  const shown = JSON.stringify([language(), [...rings.keys()].map((id) => rings.get(id).status.name), experts]);
  if (shown === peopleShown) return;
  peopleShown = shown;
  box.replaceChildren();
  for (const id of [...rings.keys()].sort()) {
    const ring = rings.get(id).status;
    const members = experts.filter((x) => x.rings.includes(id)).sort((a, b) => a.name.localeCompare(b.name));
    const list = el('ul', { class: 'people-list', 'data-ring': id });
    for (const x of members) {
      list.append(el('li', { 'data-expert': x.id, 'data-presence': x.presence },
        el('span', { class: 'person' }, x.name), ' ',
        el('span', { class: `state state-${x.presence}` }, t(`presence.${x.presence}`)), ' ',
        el('button', { type: 'button', class: 'quiet-small', 'data-member': x.id, onclick: () => openMember(x.id) },
          t('operator.editRings', { name: x.name }))));
    }
    if (members.length === 0) list.append(el('li', {}, t('operator.noExperts')));
    box.append(el('section', { class: 'people-ring', 'aria-labelledby': `people-${id}` },
      el('h3', { id: `people-${id}` }, ring.name), list));
  }
}

function closeEdit() {
  const back = editing ? document.querySelector(editing.kind === 'ring' ? `[data-edit="${CSS.escape(editing.id)}"]`
    : `[data-member="${CSS.escape(editing.id)}"]`) : null;
  editing = null;
  $('ring-form').hidden = true;
  $('member-form').hidden = true;
  back?.focus();
}

const secondsOf = (d) => {
  if (d === null || d === undefined) return null;
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  if (!m) return null;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
};

/** The ring's settings, as GET /api/rings gives them, in a form of plain numbers (seconds, minutes). */
async function openRing(id) {
  closeEdit();
  $('edit-status').textContent = '';
  let reply;
  try {
    reply = await api(conn, 'GET', `/rings/${encodeURIComponent(id)}`);
  } catch (e) {
    $('edit-status').textContent = errorText(e);
    return;
  }
  const c = reply.config;
  editing = { kind: 'ring', id };
  $('ring-form-title').textContent = t('operator.editTitle', { name: c.name });
  $('edit-offer-timeout').value = secondsOf(c.offerTimeout);
  $('edit-booking-capacity').value = c.bookingCapacity;
  $('edit-opening-hours').value = c.openingHours;
  const over = $('edit-overflow-ring');
  over.replaceChildren(el('option', { value: '' }, t('operator.noOverflow')),
    ...[...rings.keys()].filter((r) => r !== id).map((r) => el('option', { value: r }, rings.get(r).status.name)));
  over.value = c.overflow ? c.overflow.ring : '';
  $('edit-overflow-after').value = c.overflow ? Math.round(secondsOf(c.overflow.after) / 60) : '';
  $('edit-escalation-after').value = c.languageEscalation ? Math.round(secondsOf(c.languageEscalation.after) / 60) : '';
  const fallback = new Set(c.languageEscalation ? c.languageEscalation.fallback : []);
  const box = $('edit-fallback');
  box.querySelectorAll('.field').forEach((f) => f.remove());
  for (const l of FALLBACK_LANGUAGES) {
    const input = el('input', { type: 'checkbox', id: `edit-fallback-${l}`, value: l });
    input.checked = fallback.has(l);
    box.append(el('div', { class: 'field check' }, input, el('label', { for: `edit-fallback-${l}` }, languageName(l))));
  }
  $('ring-form-error').textContent = '';
  $('ring-form').hidden = false;
  $('edit-offer-timeout').focus();
}

async function saveRing(e) {
  e.preventDefault();
  if (!editing || editing.kind !== 'ring') return;
  const id = editing.id;
  const overflowRing = $('edit-overflow-ring').value;
  const escalation = $('edit-escalation-after').value;
  const fallback = [...$('edit-fallback').querySelectorAll('input:checked')].map((i) => i.value);
  const body = {
    offerTimeout: `${$('edit-offer-timeout').value}s`,
    bookingCapacity: Number($('edit-booking-capacity').value),
    openingHours: $('edit-opening-hours').value.trim(),
    overflow: overflowRing ? { ring: overflowRing, after: `${$('edit-overflow-after').value || 0}m` } : null,
    languageEscalation: escalation !== '' ? { after: `${escalation}m`, fallback } : null,
  };
  try {
    await api(conn, 'PATCH', `/rings/${encodeURIComponent(id)}`, body);
  } catch (err) {
    $('ring-form-error').textContent = t('operator.saveFailed', { reason: err.message });
    return;
  }
  const name = rings.get(id)?.status.name ?? id;
  closeEdit();
  $('edit-status').textContent = t('operator.saved', { name });
}

function openMember(id) {
  closeEdit();
  $('edit-status').textContent = '';
  const x = experts.find((p) => p.id === id);
  if (!x) return;
  editing = { kind: 'expert', id };
  $('member-title').textContent = t('operator.memberTitle', { name: x.name });
  const box = $('member-rings');
  box.querySelectorAll('.field').forEach((f) => f.remove());
  for (const r of [...rings.keys()].sort()) {
    const input = el('input', { type: 'checkbox', id: `member-ring-${r}`, value: r });
    input.checked = x.rings.includes(r);
    box.append(el('div', { class: 'field check' }, input, el('label', { for: `member-ring-${r}` }, rings.get(r).status.name)));
  }
  $('member-error').textContent = '';
  $('member-form').hidden = false;
  box.querySelector('input')?.focus();
}

async function saveMember(e) {
  e.preventDefault();
  if (!editing || editing.kind !== 'expert') return;
  const x = experts.find((p) => p.id === editing.id);
  const chosen = [...$('member-rings').querySelectorAll('input:checked')].map((i) => i.value);
  try {
    await api(conn, 'PUT', `/experts/${encodeURIComponent(x.id)}`, { name: x.name, rings: chosen, languages: x.languages,
      topics: x.topics });
  } catch (err) {
    $('member-error').textContent = t('operator.saveFailed', { reason: err.message });
    return;
  }
  closeEdit();
  $('edit-status').textContent = t('operator.saved', { name: x.name });
  await loadPeople();
}
