// The operator's History view: a period's charts and staffing recommendations from the journal
// (GET /api/history) and the what-if simulator (POST /api/whatif), beside the live board. The two
// views are tabs addressed by the URL's hash (#board, #history), so the back button and links work.
import { $, api, el, showView } from './page.js';
import { duration, language, onLanguageChange, t, topicName, translate } from './i18n.js';

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
  $('whatif-add-hours').addEventListener('click', () => addHours(16, 20, 1, true));
  addHours(8, 16, 2, false);
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

/**
 * The what-if's staffing in plain words: rows of "from 8 to 16, 2 experts", turned into the API's
 * "8-16=2" form only when sent.
 */
let hourRows = 0;
function addHours(from, to, experts, focus) {
  const n = hourRows++;
  const hours = (id, chosen, first, last) => {
    const select = el('select', { id });
    for (let h = first; h <= last; h++) {
      const o = el('option', { value: h }, String(h));
      o.selected = h === chosen;
      select.append(o);
    }
    return select;
  };
  const row = el('div', { class: 'row hour-row', 'data-row': n },
    el('div', { class: 'field' }, el('label', { for: `whatif-from-${n}`, 'data-i18n': 'whatif.fromHour' }), hours(`whatif-from-${n}`, from, 0, 23)),
    el('div', { class: 'field' }, el('label', { for: `whatif-to-${n}`, 'data-i18n': 'whatif.toHour' }), hours(`whatif-to-${n}`, to, 1, 24)),
    el('div', { class: 'field' }, el('label', { for: `whatif-n-${n}`, 'data-i18n': 'whatif.expertsOnDuty' }),
      el('input', { id: `whatif-n-${n}`, type: 'number', min: 0, max: 500, step: 1, value: experts, required: true })));
  if (n > 0) {
    row.append(el('div', { class: 'field' }, el('button', { type: 'button', 'data-i18n': 'whatif.removeHours',
      onclick: () => row.remove() })));
  }
  $('whatif-hour-rows').append(row);
  translate(row);
  if (focus) $(`whatif-from-${n}`).focus();
}

function staffing() {
  return [...document.querySelectorAll('#whatif-hour-rows .hour-row')].map((row) => {
    const n = row.dataset.row;
    return `${$(`whatif-from-${n}`).value}-${$(`whatif-to-${n}`).value}=${$(`whatif-n-${n}`).value}`;
  }).join(',');
}

/** "8–16: 2 experts; 16–20: 1 expert" from "8-16=2,16-20=1". */
function staffingWords(spec) {
  return String(spec).split(',').map((part) => {
    const m = /^(\d+)-(\d+)=(\d+)$/.exec(part.trim());
    if (!m) return t('whatif.allDay', { n: part.trim() });
    return t('whatif.hoursWords', { from: m[1], to: m[2], n: m[3] });
  }).join('; ');
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
  renderOutcomes(h.outcomes ?? []);
  renderChanges(h.changes ?? []);
}

/** First-contact resolution: all, then per ring, topic and point. */
function renderOutcomes(rows) {
  const body = $('fcr-body');
  body.replaceChildren();
  if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 4 }, t('history.fcrNone'))));
  for (const r of rows) {
    const label = r.by === 'total' ? t('history.allRings') : r.by === 'topic' ? topicName(r.key) : r.name;
    body.append(el('tr', { 'data-by': r.by, 'data-key': r.key },
      el('th', { scope: 'row' }, r.by === 'total' ? label : `${t(`history.fcrBy.${r.by}`)}: ${label}`),
      el('td', {}, String(r.calls)), el('td', {}, String(r.resolved)),
      el('td', { 'data-field': 'fcr' }, percent(r.firstContactResolution))));
  }
}

/** Who changed a ring's settings or an expert's rings, and what changed (the journal's words). */
function renderChanges(rows) {
  const body = $('changes-body');
  body.replaceChildren();
  if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 4 }, t('history.changesNone'))));
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language()];
  for (const c of rows) {
    const when = new Date(c.at).toLocaleString(locale, { timeZone: 'Europe/Helsinki', day: 'numeric', month: 'numeric',
      hour: 'numeric', minute: '2-digit' });
    body.append(el('tr', { 'data-subject': c.subject, 'data-id': c.id },
      el('th', { scope: 'row' }, when), el('td', { 'data-field': 'actor' }, c.actor.replace(/^operator:/, '')),
      el('td', {}, `${t(`history.change.${c.subject}`)}: ${c.name}`), el('td', { 'data-field': 'what', lang: 'en' }, c.what)));
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
    experts: staffing(), bookedToInstant: Number($('whatif-share').value) / 100,
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
    rings: w.rings.map((id) => rings.find((r) => r.id === id)?.name ?? id).join(' + '), experts: staffingWords(w.experts) });
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
