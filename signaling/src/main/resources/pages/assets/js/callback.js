// Call-backs (docs/pages.md, "Call-backs"). The advisor's side: a waiting request turned into a
// call-back keeps its place while the point does other work; the list says "call-back, position N,
// about M min"; when an expert has accepted it, every advisor of the point sees and hears the ring and
// the first to answer is connected. The expert's side: the offer is marked call-back, and after
// accepting the expert waits in a "calling the point" state until someone answers or the ring times out.
import { $, el, errorText } from './page.js';
import { clock, duration, t, topicName } from './i18n.js';

/**
 * A ring tone made here rather than shipped as a file: two short bursts of 440 + 480 Hz (the North
 * American ring-back pair, which anyone recognises as a phone) and two seconds of silence, as 8 kHz 8-bit
 * WAV for the audio element to loop.
 */
function ringTone() {
  const rate = 8000;
  const shape = [[0.4, true], [0.2, false], [0.4, true], [2.0, false]];
  const n = shape.reduce((s, [sec]) => s + Math.round(sec * rate), 0);
  const bytes = new Uint8Array(44 + n);
  const view = new DataView(bytes.buffer);
  const text = (at, s) => { for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i); };
  text(0, 'RIFF'); view.setUint32(4, 36 + n, true); text(8, 'WAVE'); text(12, 'fmt ');
  view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate, true); view.setUint16(32, 1, true);
  view.setUint16(34, 8, true); text(36, 'data'); view.setUint32(40, n, true);
  let i = 44;
  for (const [sec, on] of shape) {
    const len = Math.round(sec * rate);
    for (let k = 0; k < len; k++, i++) {
      const s = on ? 0.5 * (Math.sin(2 * Math.PI * 440 * k / rate) + Math.sin(2 * Math.PI * 480 * k / rate)) : 0;
      bytes[i] = 128 + Math.round(s * 0.45 * 127);
    }
  }
  return URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
}

/** The advisor page's call-backs: the point's list, the ring, answering and cancelling. */
export class AdvisorCallbacks {
  /**
   * @param conn   the session
   * @param answer  async (requestId) => opens the camera and sends answer_callback; the call view
   *                opens on call_connected as for any call
   * @param convert async () => turns the page's waiting request into a call-back (the button beside
   *                "Cancel call")
   */
  constructor(conn, { answer, convert }) {
    this.conn = conn;
    this.answer = answer;
    this.list = new Map(); // requestId -> {requestId, ring, position, estimatedWaitSeconds, offered, attempts, maxAttempts, retryAt}
    this.rings = new Map(); // requestId -> the callback_ringing push, with deadline
    this.message = null;
    this.section = el('section', { id: 'callbacks', class: 'callbacks', 'aria-labelledby': 'callbacks-title', hidden: true },
      el('h2', { id: 'callbacks-title' }),
      el('ul', { id: 'callback-list', class: 'callback-list' }),
      el('p', { id: 'callback-message', class: 'message', role: 'status' }));
    this.ringBox = el('section', { id: 'callback-ring', class: 'callback-ring', role: 'alertdialog',
      'aria-labelledby': 'callback-ring-title', 'aria-describedby': 'callback-ring-text', hidden: true },
    el('h2', { id: 'callback-ring-title' }),
    el('p', { id: 'callback-ring-text' }),
    el('p', { id: 'callback-ring-note', class: 'note' }),
    el('p', { id: 'callback-ring-remaining', class: 'remaining' }),
    el('p', { class: 'actions' },
      el('button', { id: 'answer-callback', type: 'button', class: 'primary big', onclick: () => this.onAnswer() }),
      el('button', { id: 'ring-sound-on', type: 'button', hidden: true, onclick: () => this.playSound() })));
    this.sound = el('audio', { id: 'callback-ring-sound', loop: true, preload: 'auto' });
    this.sound.src = ringTone();
    this.convertButton = el('button', { id: 'to-callback', type: 'button', onclick: convert });
    $('cancel').after(' ', this.convertButton);
    $('request').prepend(this.section);
    $('main').prepend(this.ringBox);
    document.body.append(this.sound);
    this.ticker = null;
  }

  /** The welcome's requests: keeps the call-backs, returns the others for the page. */
  restore(requests) {
    this.list.clear();
    const others = [];
    for (const r of requests) {
      if (!r.callback || r.state === 'connected') {
        others.push(r);
        continue;
      }
      this.list.set(r.requestId, { requestId: r.requestId, ring: r.ring, position: r.position ?? 0,
        estimatedWaitSeconds: r.estimatedWaitSeconds ?? null, offered: r.state === 'offered',
        attempts: r.callback.attempts, maxAttempts: r.callback.maxAttempts, retryAt: r.callback.retryAt ?? null });
      if (r.callback.ringUntil) {
        // A reload while the point rings: it still rings, until its time is up.
        this.ring({ requestId: r.requestId, expert: { name: r.callback.expertName }, ringUntil: r.callback.ringUntil,
          ringsForMs: Math.max(0, Date.parse(r.callback.ringUntil) - Date.now()) });
      }
    }
    this.render();
    return others;
  }

  /** Turns the page's waiting request into a call-back. Resolves true when the server agreed. */
  async convert(requestId) {
    try {
      const q = await this.conn.request('request_callback', { requestId });
      this.list.set(q.requestId, { requestId: q.requestId, ring: q.ring, position: q.position,
        estimatedWaitSeconds: q.estimatedWaitSeconds, offered: false, attempts: 0, maxAttempts: null, retryAt: null });
      this.message = { key: 'callback.converted' };
      this.render();
      return true;
    } catch (err) {
      this.message = { text: errorText(err) };
      this.render();
      return false;
    }
  }

  async cancel(requestId) {
    try {
      await this.conn.request('cancel_request', { requestId });
      this.list.delete(requestId);
      this.stopRinging(requestId);
      this.message = { key: 'callback.cancelled' };
    } catch (err) {
      this.message = { text: errorText(err) };
    }
    this.render();
  }

  /** Handles a push about call-backs; true when it was one (the page need not look at it). */
  onPush(m) {
    const cb = this.list.get(m.requestId);
    switch (m.type) {
      case 'callback_ringing':
        this.ring(m);
        return true;
      case 'callback_ring_ended':
        this.stopRinging(m.requestId);
        return true;
      case 'callback_retry':
        if (cb) Object.assign(cb, { attempts: m.attempts, maxAttempts: m.maxAttempts, retryAt: m.retryAt, offered: false });
        this.render();
        return true;
      case 'queue_update':
        if (!cb) return false;
        Object.assign(cb, { position: m.position, estimatedWaitSeconds: m.estimatedWaitSeconds });
        this.render();
        return true;
      case 'ringing':
        if (!cb) return false;
        cb.offered = m.ringing;
        this.render();
        return true;
      case 'escalated':
        return Boolean(cb);
      case 'request_ended':
        if (!cb) return false;
        this.list.delete(m.requestId);
        this.stopRinging(m.requestId);
        this.message = { key: m.reason === 'callback_failed' ? 'callback.failed' : `advisor.ended.${m.reason}` };
        this.render();
        return true;
      case 'call_connected':
        // Whoever at the point answered, the call-back is over; the page opens the call.
        this.list.delete(m.requestId);
        this.stopRinging(m.requestId);
        this.render();
        return false;
      default:
        return false;
    }
  }

  ring(m) {
    this.rings.set(m.requestId, { ...m, deadline: performance.now() + (m.ringsForMs ?? 0) });
    this.render();
    this.playSound();
    clearInterval(this.ticker);
    this.ticker = setInterval(() => this.renderRing(), 500);
    $('answer-callback').focus();
  }

  stopRinging(requestId) {
    this.rings.delete(requestId);
    if (this.rings.size === 0) {
      this.sound.pause();
      this.sound.currentTime = 0;
      clearInterval(this.ticker);
    }
    this.render();
  }

  /** Browsers may refuse sound before the user has touched the page: then a button turns it on. */
  playSound() {
    this.sound.play().then(() => { $('ring-sound-on').hidden = true; }).catch(() => {
      $('ring-sound-on').hidden = this.rings.size === 0;
    });
  }

  async onAnswer() {
    const [first] = this.rings.values();
    if (!first) return;
    const button = $('answer-callback');
    button.disabled = true;
    try {
      await this.answer(first.requestId);
    } catch (err) {
      this.stopRinging(first.requestId);
      this.message = { text: errorText(err) };
      this.render();
    } finally {
      button.disabled = false;
    }
  }

  render() {
    $('callbacks-title').textContent = t('callback.title');
    this.convertButton.textContent = t('callback.convert');
    const items = [...this.list.values()].sort((a, b) => a.requestId - b.requestId).map((cb) => el('li',
      { 'data-request-id': cb.requestId },
      el('span', { class: 'callback-status' }, this.statusText(cb)), ' ',
      el('button', { id: `cancel-callback-${cb.requestId}`, type: 'button', class: 'danger',
        onclick: () => this.cancel(cb.requestId) }, t('callback.cancel'))));
    $('callback-list').replaceChildren(...items);
    const msg = this.message ? (this.message.text ?? t(this.message.key)) : '';
    $('callback-message').textContent = msg;
    this.section.hidden = items.length === 0 && !msg;
    this.renderRing();
  }

  statusText(cb) {
    if (this.rings.has(cb.requestId)) return t('callback.ringingHere');
    if (cb.offered) return t('callback.offered');
    const position = cb.position;
    if (cb.retryAt && Date.parse(cb.retryAt) > Date.now()) {
      return t('callback.retrying', { attempts: cb.attempts, max: cb.maxAttempts ?? '?',
        time: clock(new Date(cb.retryAt)), position });
    }
    if (cb.estimatedWaitSeconds === null || cb.estimatedWaitSeconds === undefined) {
      return t('callback.positionNoEstimate', { position });
    }
    return t('callback.position', { position, wait: duration(cb.estimatedWaitSeconds) });
  }

  renderRing() {
    const [first] = this.rings.values();
    this.ringBox.hidden = !first;
    if (!first) return;
    this.ringBox.dataset.requestId = first.requestId;
    $('callback-ring-title').textContent = t('callback.ringTitle', { expert: first.expert?.name ?? '' });
    $('callback-ring-text').textContent = first.topic
      ? t('callback.ringText', { ring: first.ringName ?? first.ring, topic: topicName(first.topic) }) : '';
    $('callback-ring-note').textContent = first.note ?? '';
    const left = Math.max(0, Math.ceil((first.deadline - performance.now()) / 1000));
    $('callback-ring-remaining').textContent = t('callback.ringRemaining', { seconds: left });
    $('answer-callback').textContent = t('callback.answer');
    $('ring-sound-on').textContent = t('callback.soundOn');
    if (left === 0) this.stopRinging(first.requestId);
  }
}

/** The expert page's part: the call-back mark on an offer, and waiting while the point is rung. */
export class ExpertCalling {
  constructor() {
    this.calling = null;
    this.badge = el('p', { id: 'offer-callback', class: 'callback-badge', hidden: true });
    $('offer-title').after(this.badge);
    this.box = el('section', { id: 'calling-point', class: 'offer', role: 'status', hidden: true },
      el('h2', { id: 'calling-title' }),
      el('p', { id: 'calling-text' }));
    $('offer').after(this.box);
  }

  /** An offer arrived (or was restored): marked when it is a call-back. */
  offer(m) {
    this.badge.hidden = !m.callback;
    this.badge.textContent = t('callback.offerBadge');
  }

  /** The accept_offer reply: calling_point for a call-back. True when the expert now waits for the point. */
  accepted(reply) {
    if (reply.type !== 'calling_point') return false;
    this.calling = reply;
    this.render();
    return true;
  }

  /** The wait is over (answered, unanswered, withdrawn). True when there was one for this request. */
  stop(requestId) {
    if (!this.calling || (requestId !== undefined && this.calling.requestId !== requestId)) return false;
    this.calling = null;
    this.render();
    return true;
  }

  render() {
    this.badge.textContent = t('callback.offerBadge');
    this.box.hidden = !this.calling;
    if (!this.calling) return;
    $('calling-title').textContent = t('callback.callingTitle', { point: this.calling.point.name });
    $('calling-text').textContent = t('callback.callingText', { attempt: this.calling.attempt,
      time: clock(new Date(this.calling.ringUntil)) });
  }
}
