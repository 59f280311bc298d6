// The operator's History view: a period's charts and staffing recommendations from the journal
// (GET /api/history) and the what-if simulator (POST /api/whatif), beside the live board. The two
// views are tabs addressed by the URL's hash (#board, #history), so the back button and links work.
import { $, api, el, showView } from './page.js';
import { duration, language, onLanguageChange, t, translate } from './i18n.js';

let conn;
let rings = [];
let lastHistory = null;
let lastWhatIf = null;

/** Shows the view the hash names and keeps it in step; loads the ring lists for the forms. */
export function initHistory(connection) {
  conn = connection;
  $('views').hidden = false;
  window.addEventListener('hashchange', route);
  $('history-form').addEventListener('submit', (e) => {
    e.preventDefault();
    loadHistory();
  });
  $('whatif-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runWhatIf();
  });
  const today = isoDate(new Date());
  const weekAgo = new Date();
  weekAgo.setDate(weekAgo.getDate() - 6);
  $('history-from').value = isoDate(weekAgo);
  $('history-to').value = today;
  onLanguageChange(() => {
    renderRings();
    if (lastHistory) renderHistory(lastHistory);
    if (lastWhatIf) renderWhatIf(lastWhatIf);
  });
  route();
  // Not awaited: the live board must not wait for the forms' ring lists.
  api(conn, 'GET', '/rings').then((reply) => {
    rings = reply.rings.map((r) => ({ id: r.status.id, name: r.status.name }));
    renderRings();
  }, (e) => { $('history-error').textContent = t('history.failed', { reason: e.message }); });
}

function route(focus = true) {
  const view = location.hash === '#history' ? 'history' : 'board';
  document.querySelectorAll('#views a').forEach((a) => {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  showView(view, focus);
}

function isoDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function renderRings() {
  const select = $('history-ring');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, t('history.allRings')),
    ...rings.map((r) => el('option', { value: r.id }, r.name)));
  select.value = chosen;
  const box = $('whatif-rings');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  box.querySelectorAll('.field').forEach((f) => f.remove());
  rings.forEach((r, i) => {
    const id = `whatif-ring-${r.id}`;
    const input = el('input', { type: 'checkbox', id, value: r.id });
    input.checked = checked.size ? checked.has(r.id) : i === 0;
    box.append(el('div', { class: 'field check' }, input, el('label', { for: id }, r.name)));
  });
}

async function loadHistory() {
  const params = new URLSearchParams({ from: $('history-from').value, to: $('history-to').value });
  if ($('history-ring').value) params.set('ring', $('history-ring').value);
  $('history-error').textContent = '';
  $('history-status').textContent = t('history.computing');
  try {
    lastHistory = await api(conn, 'GET', `/history?${params}`);
    renderHistory(lastHistory);
  } catch (e) {
    $('history-status').textContent = '';
    $('history-error').textContent = t('history.failed', { reason: e.message });
  }
}

const percent = (v) => (v === null || v === undefined ? t('none') : `${Math.round(v * 100)} %`);
const number = (v, digits = 1) => (v === null || v === undefined ? t('none')
  : v.toLocaleString({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language()], { maximumFractionDigits: digits }));

/** Names the parts of the journal the figures leave out (damage), or hides the box. */
function renderDamage(id, key, unread) {
  const box = $(id);
  box.hidden = !unread || unread.length === 0;
  if (box.hidden) return;
  box.replaceChildren(el('p', {}, t(key)), el('ul', {}, ...unread.map((u) => el('li', {}, u.text))));
}

function renderHistory(h) {
  renderDamage('history-damage', 'history.damaged', h.unread);
  $('history-status').textContent = h.empty ? t('history.empty')
    : t('history.done', { events: h.events, ms: h.computeMillis });
  $('history-result').hidden = h.empty;
  if (h.empty) return;
  const s = h.summary;
  const figures = [
    ['history.offered', String(s.offered)], ['history.answered', String(s.answered)],
    ['history.abandonRate', percent(s.abandonRate)], ['history.asa', duration(s.asaSeconds)],
    ['history.waitP90', duration(s.waitP90Seconds)],
    ['history.serviceLevel', percent(s.serviceLevel)], ['history.aht', duration(s.ahtSeconds)],
    ['history.occupancy', percent(s.occupancy)],
  ];
  $('history-summary').replaceChildren(...figures.map(([key, value]) => el('div', {},
    el('dt', {}, t(key, { threshold: h.thresholdSeconds })), el('dd', {}, value))));
  // Markup of the report's own renderer (HtmlReport.charts), every name in it escaped on the server.
  $('history-charts').innerHTML = h.chartsHtml;
  $('recs-help').textContent = t('history.recommendationsHelp', { target: Math.round(h.target * 100) });
  const body = $('recs-body');
  body.replaceChildren();
  if (h.recommendations.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 8 }, t('history.noRecommendations'))));
  }
  for (const r of h.recommendations) {
    const tr = el('tr', { 'data-ring': r.ring, 'data-day': r.day, 'data-hour': r.hour });
    tr.append(
      el('th', { scope: 'row' }, r.ringName),
      el('td', {}, t('history.when', { day: t(`history.day${r.day}`), from: r.hour, to: r.hour + 1 })),
      el('td', { 'data-field': 'arrivalsPerHour' }, number(r.arrivalsPerHour)),
      el('td', {}, duration(r.ahtSeconds)),
      el('td', { 'data-field': 'recommended' }, t('history.need', { n: r.recommended,
        sl: percent(r.expectedServiceLevel), threshold: r.thresholdSeconds })),
      el('td', { 'data-field': 'had' }, number(r.meanSignedIn)),
      el('td', {}, percent(r.occupancy)),
      el('td', {}, percent(r.measuredServiceLevel)),
    );
    body.append(tr);
  }
}

async function runWhatIf() {
  const chosen = [...$('whatif-rings').querySelectorAll('input:checked')].map((i) => i.value);
  $('whatif-error').textContent = '';
  if (chosen.length === 0) {
    $('whatif-error').textContent = t('whatif.chooseRing');
    return;
  }
  const body = {
    from: $('history-from').value, to: $('history-to').value, rings: chosen,
    experts: $('whatif-experts').value.trim(), bookedToInstant: Number($('whatif-share').value) / 100,
    seed: Number($('whatif-seed').value),
  };
  $('whatif-status').textContent = t('whatif.running');
  try {
    lastWhatIf = await api(conn, 'POST', '/whatif', body);
    renderWhatIf(lastWhatIf);
  } catch (e) {
    $('whatif-status').textContent = '';
    $('whatif-error').textContent = t('whatif.failed', { reason: e.message });
  }
}

function renderWhatIf(w) {
  renderDamage('whatif-damage', 'whatif.damaged', w.unread);
  let booked = '';
  if (w.booked > 0) booked = ` ${t('whatif.booked', { booked: w.booked, moved: w.movedToInstant })}`;
  else if (w.bookedToInstant > 0) booked = ` ${t('whatif.noBooked')}`;
  $('whatif-status').textContent = t('whatif.done', { requests: w.requests, ms: w.computeMillis }) + booked;
  $('whatif-caption').textContent = t('whatif.caption', {
    rings: w.rings.map((id) => rings.find((r) => r.id === id)?.name ?? id).join(' + '), experts: w.experts, seed: w.seed });
  const rows = [
    ['whatif.customers', (f) => String(f.customers)],
    ['whatif.answered', (f) => String(f.answered)],
    ['whatif.abandoned', (f) => String(f.abandoned)],
    ['whatif.stillWaiting', (f) => String(f.still_waiting)],
    ['history.asa', (f) => duration(f.asa_seconds)],
    ['history.waitP90', (f) => duration(f.wait_p90_seconds)],
    ...Object.keys(w.simulated.service_levels).map((s) => ['whatif.sl', (f) => percent(f.service_levels[s]), s]),
    ['whatif.pWait', (f) => percent(f.p_wait)],
    ['history.occupancy', (f) => percent(f.occupancy)],
    ['whatif.expertHours', (f) => number(f.expert_hours, 2)],
  ];
  $('whatif-body').replaceChildren(...rows.map(([key, value, threshold]) => el('tr', { 'data-figure': threshold ? `sl${threshold}` : key },
    el('th', { scope: 'row' }, t(key, { threshold })), el('td', {}, value(w.recorded)), el('td', {}, value(w.simulated)))));
  $('whatif-result').hidden = false;
  translate($('whatif-result'));
}
