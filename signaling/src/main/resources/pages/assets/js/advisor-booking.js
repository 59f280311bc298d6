// The advisor's booking screen: free slots of a service for a language and a day (optionally with a
// named expert), booking one for a customer, and the point's bookings today and ahead, each with
// reschedule, cancel with a reason, and "Start booked call" once the server's clock allows it.
import { $, api, el, errorText } from './page.js';
import { languageName, t } from './i18n.js';
import { CancelForm, EARLIEST_START_MS, cell, isToday, loadBookings, localDate, localTime, serverDay, serverNow,
  statusText } from './bookings.js';
import { showJoinCard } from './join-card.js';

const DAYS_AHEAD = 30; // the point's list: today and the coming month
const OPEN = ['confirmed', 'rescheduled'];

export class BookingScreen {
  /**
   * @param onStart(booking) starts a booked call (camera check, start_booking); resolves when asked
   */
  constructor(conn, rings, onStart) {
    this.conn = conn;
    this.rings = rings;
    this.onStart = onStart;
    this.services = [];
    this.bookings = [];
    this.slots = [];
    this.searches = 0;
    this.due = new Set(); // bookings the server said are ready to start
    this.moving = null; // the booking being rescheduled
    this.dueNow = null; // the booking the last `due` push was about, read out
    this.message = null;
    this.cancelForm = new CancelForm(conn, 'advisor', () => this.changed({ key: 'booking.cancelled' }));
    $('book-service').addEventListener('change', () => { this.fillChoices(); this.search(); });
    $('book-language').addEventListener('change', () => { this.fillExperts(); this.search(); });
    $('book-expert').addEventListener('change', () => this.search());
    $('book-date').addEventListener('change', () => this.search());
    $('booking-form').addEventListener('submit', (e) => this.submit(e));
    $('reschedule-stop').addEventListener('click', () => this.stopMoving());
    // The "ready to start" state follows the clock: re-drawn twice a minute (no request to the server).
    setInterval(() => this.renderList(), 30000);
  }

  async load() {
    try {
      this.services = (await api(this.conn, 'GET', '/services')).services;
    } catch (err) {
      $('booking-error').textContent = errorText(err);
      return;
    }
    const select = $('book-service');
    select.replaceChildren(...this.services.map((s) => el('option', { value: s.id }, this.serviceLabel(s))));
    await this.reloadList();
    const date = $('book-date');
    date.min = serverDay();
    if (!date.value) date.value = serverDay();
    this.fillChoices();
    await this.search();
  }

  setRings(rings) {
    this.rings = rings;
  }

  /** The interpreting languages a booking may add an interpreter of (none first). */
  setInterpreting(codes) {
    const select = $('book-interpreter');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '' }, t('advisor.noInterpreter')),
      ...codes.map((code) => el('option', { value: code }, languageName(code))));
    select.value = codes.includes(chosen) ? chosen : '';
  }

  serviceLabel(s) {
    const ring = this.rings.find((r) => r.id === s.ring);
    return `${ring ? ring.name : s.ring}: ${s.name}`;
  }

  service() {
    return this.services.find((s) => s.id === $('book-service').value);
  }

  /** The ring's languages for the chosen service; the experts who speak the chosen one. */
  fillChoices() {
    const s = this.service();
    if (!s) return;
    const ring = this.rings.find((r) => r.id === s.ring);
    const lang = $('book-language');
    const previous = lang.value;
    const languages = ring ? ring.languages : [...new Set(s.experts.flatMap((x) => x.languages))];
    lang.replaceChildren(...languages.map((code) => el('option', { value: code }, languageName(code))));
    if (languages.includes(previous)) lang.value = previous;
    this.fillExperts();
  }

  fillExperts() {
    const s = this.service();
    if (!s) return;
    const select = $('book-expert');
    const previous = select.value;
    const speaking = s.experts.filter((x) => x.languages.includes($('book-language').value));
    select.replaceChildren(el('option', { value: '' }, t('booking.anyExpert')),
      ...speaking.map((x) => el('option', { value: x.id }, x.name)));
    if (speaking.some((x) => x.id === previous)) select.value = previous;
  }

  query() {
    return { ring: this.service().ring, service: this.service().id, language: $('book-language').value,
      date: $('book-date').value, expert: $('book-expert').value || null };
  }

  async search() {
    if (!this.service() || !$('book-date').value) return;
    const q = this.query();
    const params = new URLSearchParams({ ring: q.ring, service: q.service, date: q.date, language: q.language });
    if (q.expert) params.set('expert', q.expert);
    $('slots-status').textContent = t('booking.searching');
    // Choices made in quick succession: only the answer to the last search is shown.
    const asked = ++this.searches;
    try {
      const reply = await api(this.conn, 'GET', `/slots?${params}`);
      if (asked === this.searches) this.showSlots(reply.slots, q.date);
    } catch (err) {
      if (asked !== this.searches) return;
      this.showSlots([], q.date);
      $('slots-status').textContent = errorText(err);
    }
  }

  showSlots(slots, date) {
    this.slots = slots;
    this.slotsDate = date;
    const list = $('slot-list');
    const chosen = list.querySelector('input:checked')?.value;
    list.replaceChildren(...slots.map((s, i) => {
      const id = `slot-${i}`;
      const input = el('input', { type: 'radio', name: 'slot', id, value: s.start, 'data-time': s.localTime });
      input.checked = s.start === chosen;
      return el('span', { class: 'slot' }, input, el('label', { for: id }, localTime(s.start)));
    }));
    this.renderSlotsText();
  }

  renderSlotsText() {
    if (!this.slotsDate) return;
    $('slots-legend').textContent = t('booking.freeSlots', { date: localDate(this.slotsDate) });
    $('slots-status').textContent = this.slots.length === 0 ? t('booking.noSlots')
      : t('booking.slotCount', { n: this.slots.length });
  }

  async submit(e) {
    e.preventDefault();
    const slot = $('slot-list').querySelector('input:checked');
    $('booking-error').textContent = '';
    if (!slot) {
      $('booking-error').textContent = t('booking.chooseSlot');
      return;
    }
    const button = $('book');
    button.disabled = true;
    try {
      if (this.moving) {
        const reason = $('reschedule-reason').value.trim();
        if (!reason) {
          $('booking-error').textContent = t('booking.reasonRequired');
          $('reschedule-reason').focus();
          return;
        }
        const r = await api(this.conn, 'PATCH', `/bookings/${this.moving.id}`, { start: slot.value, reason });
        this.stopMoving();
        await this.changed({ key: 'booking.rescheduled', booking: r.booking });
      } else {
        const q = this.query();
        const body = { ring: q.ring, service: q.service, start: slot.value, language: q.language,
          note: $('book-note').value };
        if (q.expert) body.expert = q.expert;
        if ($('book-from-home').checked) body.fromHome = true;
        if ($('book-interpreter').value) body.interpreter = $('book-interpreter').value;
        const r = await api(this.conn, 'POST', '/bookings', body);
        $('book-note').value = '';
        $('book-from-home').checked = false;
        $('book-interpreter').value = '';
        await this.changed({ key: 'booking.booked', booking: r.booking });
      }
      await this.search();
    } catch (err) {
      await this.refused(err, localTime(slot.value));
    } finally {
      button.disabled = false;
    }
  }

  /** A slot someone else took meanwhile: say so, and show the slots as they are now. */
  async refused(err, time) {
    if (err.code !== 'slot_taken') {
      $('booking-error').textContent = errorText(err);
      return;
    }
    $('booking-error').textContent = t('booking.slotTaken', { time });
    if (Array.isArray(err.body.slots)) {
      this.searches++; // a search still under way would bring an older list
      this.showSlots(err.body.slots, this.slotsDate);
    }
    else await this.search();
  }

  /** Rescheduling: the same service and language, another slot, with a reason. */
  startMoving(b, opener) {
    this.moving = b;
    this.mover = opener;
    const select = $('book-service');
    select.value = b.service;
    this.fillChoices();
    $('book-language').value = b.language;
    this.fillExperts();
    $('book-expert').value = b.expert ?? '';
    $('book-date').value = b.localStart.slice(0, 10);
    for (const id of ['book-service', 'book-language', 'book-expert']) $(id).disabled = true;
    $('reschedule-what').hidden = false;
    $('reschedule-what').textContent = t('booking.movingWhat', { date: localDate(b.start), time: localTime(b.start),
      service: b.serviceName });
    $('book-note-field').hidden = true;
    $('reschedule-reason-field').hidden = false;
    $('reschedule-reason').value = '';
    $('reschedule-stop').hidden = false;
    $('book').textContent = t('booking.move');
    $('booking-error').textContent = '';
    this.search();
    $('booking-title').setAttribute('tabindex', '-1');
    $('booking-title').focus();
  }

  stopMoving() {
    if (!this.moving) return;
    this.moving = null;
    for (const id of ['book-service', 'book-language', 'book-expert']) $(id).disabled = false;
    $('reschedule-what').hidden = true;
    $('book-note-field').hidden = false;
    $('reschedule-reason-field').hidden = true;
    $('reschedule-stop').hidden = true;
    $('book').textContent = t('booking.book');
    if (this.mover && this.mover.isConnected) this.mover.focus();
  }

  /** After a change by this page: the message, the list as the server has it now. */
  async changed(message) {
    this.message = message;
    this.renderMessage();
    await this.reloadList();
  }

  renderMessage() {
    const m = this.message;
    $('booking-message').textContent = m ? t(m.key, m.booking ? {
      date: localDate(m.booking.start), time: localTime(m.booking.start), service: m.booking.serviceName } : {}) : '';
  }

  renderDue() {
    const b = this.dueNow;
    $('due-announcement').textContent = b ? t('booking.dueNow', { time: localTime(b.start), service: b.serviceName }) : '';
  }

  async reloadList() {
    try {
      this.bookings = await loadBookings(this.conn, DAYS_AHEAD);
    } catch (err) {
      $('bookings-error').textContent = errorText(err);
      return;
    }
    this.renderList();
  }

  /** Whether the server would start the booked call now: from 15 min before the slot to its late grace. */
  startable(b) {
    if (!OPEN.includes(b.status)) return false;
    if (this.due.has(b.id)) return true;
    const s = this.services.find((x) => x.id === b.service);
    const graceMs = s ? minutes(s.lateGrace) * 60000 : 0;
    const now = serverNow();
    return now >= Date.parse(b.start) - EARLIEST_START_MS && now < Date.parse(b.start) + graceMs;
  }

  expertName(b) {
    if (!b.expert) return t('booking.anyExpert');
    const x = this.services.flatMap((s) => s.experts).find((e) => e.id === b.expert);
    return x ? x.name : b.expert;
  }

  renderList() {
    const body = $('bookings-body');
    const focused = document.activeElement?.id;
    body.replaceChildren(...this.bookings.map((b) => {
      const ready = this.startable(b);
      const actions = el('td', { 'data-field': 'actions' });
      if (ready) {
        actions.append(el('button', { type: 'button', class: 'primary', id: `start-booking-${b.id}`,
          onclick: () => this.onStart(b) }, t('booking.start')));
      }
      if (OPEN.includes(b.status) && b.joinUrl) {
        actions.append(el('button', { type: 'button', id: `join-link-${b.id}`,
          onclick: (e) => showJoinCard(this.conn, b, e.currentTarget) }, t('booking.joinLink')));
      }
      if (OPEN.includes(b.status)) {
        actions.append(
          el('button', { type: 'button', id: `reschedule-${b.id}`,
            'aria-label': t('booking.rescheduleLabel', { time: localTime(b.start) }),
            onclick: (e) => this.startMoving(b, e.currentTarget) }, t('booking.reschedule')),
          el('button', { type: 'button', id: `cancel-booking-${b.id}`, class: 'danger',
            'aria-label': t('booking.cancelLabel', { time: localTime(b.start) }),
            onclick: (e) => this.cancelForm.open(b, e.currentTarget) }, t('booking.cancel')));
      }
      const status = ready ? t('booking.ready') : statusText(b);
      const when = isToday(b) ? t('booking.todayAt', { time: localTime(b.start) })
        : `${localDate(b.start)} ${localTime(b.start)}`;
      return el('tr', { 'data-booking': b.id, 'data-status': b.status, 'data-ready': String(ready) },
        cell('when', when),
        cell('service', b.serviceName, b.fromHome ? el('br') : null,
          b.fromHome ? el('span', { class: 'from-home' }, t('booking.fromHome')) : null,
          b.note ? el('br') : null, b.note ? el('span', { class: 'help' }, b.note) : null),
        cell('language', languageName(b.language), b.interpreter ? el('br') : null,
          b.interpreter ? el('span', { class: 'interpreter' }, t('expert.withInterpreter', { language: languageName(b.interpreter) })) : null),
        cell('expert', this.expertName(b)),
        cell('status', status, b.reason ? el('br') : null, b.reason ? el('span', { class: 'help' }, b.reason) : null),
        actions);
    }));
    $('bookings-empty').hidden = this.bookings.length > 0;
    $('bookings-table').hidden = this.bookings.length === 0;
    if (focused && $(focused)) $(focused).focus();
  }

  /** A booking push (docs/protocol.md): the list is fetched again, so that it is as the server has it. */
  async onPush(m) {
    const b = m.booking;
    if (m.change === 'due') {
      this.due.add(b.id);
      this.dueNow = b;
      this.renderDue();
    } else if (!OPEN.includes(b.status)) {
      this.due.delete(b.id);
      if (this.dueNow?.id === b.id) {
        this.dueNow = null; // started, cancelled or missed: no longer to be started
        this.renderDue();
      }
    }
    await this.reloadList();
    // Someone else's change may free or take slots of the day on screen.
    if (m.change !== 'due' && b.localStart.slice(0, 10) === $('book-date').value) await this.search();
  }

  render() {
    const select = $('book-service');
    for (const o of select.options) {
      const s = this.services.find((x) => x.id === o.value);
      if (s) o.textContent = this.serviceLabel(s);
    }
    this.fillChoices();
    if (this.slotsDate) this.showSlots(this.slots, this.slotsDate); // times as the language writes them
    this.renderMessage();
    this.renderDue();
    if (this.moving) {
      $('book').textContent = t('booking.move');
      $('reschedule-what').textContent = t('booking.movingWhat', { date: localDate(this.moving.start),
        time: localTime(this.moving.start), service: this.moving.serviceName });
    }
    this.renderList();
  }
}

/** "10m", "1h", "90s" (docs/configuration.md durations) in minutes. */
function minutes(d) {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(d ?? '');
  if (!m) return 0;
  return Number(m[1]) * { s: 1 / 60, m: 1, h: 60, d: 1440 }[m[2]];
}
