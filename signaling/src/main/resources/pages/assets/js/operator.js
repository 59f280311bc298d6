// The operator's board: one row per service ring, kept current by the server's ring_status pushes
// (watch_rings), never by polling. Only the longest wait is advanced here between pushes, since it
// grows by itself while nothing else happens.
import { $, el, header, signInAndConnect, signOut } from './page.js';
import { initHistory } from './history.js';
import { clock, duration, onLanguageChange, t } from './i18n.js';

const ROLE = 'operator';
const COLUMNS = ['name', 'open', 'waiting', 'longestWait', 'estimatedWait', 'experts', 'offersPending', 'callsInProgress',
  'today', 'serviceLevel'];
let conn;
const rings = new Map(); // id -> {status, receivedAt}
let updatedAt = null;

header(() => signOut(ROLE, conn));
({ conn } = await signInAndConnect(ROLE));
conn.addEventListener('push', (e) => {
  if (e.detail.type === 'ring_status') {
    put(e.detail.ring);
    renderRow(e.detail.ring.id);
    renderUpdated();
  }
});
// A session that could not be resumed has forgotten that we watch.
conn.addEventListener('welcome', (e) => {
  if (!e.detail.resumed) watch();
});
onLanguageChange(renderAll);
initHistory(conn);
await watch();
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
    for (const c of COLUMNS) row.append(c === 'name' ? el('th', { scope: 'row', 'data-field': c }) : el('td', { 'data-field': c }));
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
  cell('name', s.name);
  cell('open', t(s.open ? 'yes' : 'no'), s.open);
  cell('waiting', String(s.waiting), s.waiting);
  cell('longestWait', duration(longestWait(id)));
  cell('estimatedWait', duration(s.estimatedWaitSeconds));
  cell('experts', t('operator.expertsValue', x), x.available);
  cell('offersPending', String(s.offersPending), s.offersPending);
  cell('callsInProgress', String(s.callsInProgress), s.callsInProgress);
  cell('today', t('operator.todayValue', { answered: s.answeredToday, queued: s.queuedToday, abandoned: s.abandonedToday }),
    s.answeredToday);
  cell('serviceLevel', s.serviceLevelToday === null ? t('none')
    : t('operator.serviceLevelValue', { percent: Math.round(s.serviceLevelToday * 100), threshold: s.serviceLevelThresholdSeconds }));
}
