// Bringing a third or fourth party into a call in progress (docs/pages.md, "Calls of three or four"): the
// advisor, or an expert in the call, asks for an interpreter of a language or an expert of another
// authority. While one is looked for the call bar says so, with a cancel; it goes when they join or the
// request ends.
import { el, errorText } from './page.js';
import { languageName, onLanguageChange, ringName, t, translate } from './i18n.js';

/** The interpreting languages offered always; interpreter rings that list_rings shows add theirs. */
export const INTERPRETING = ['ar', 'so', 'ru', 'fse'];

/** The languages interpreters can be asked for: the fixed list and those of the interpreter rings. */
export function interpretingLanguages(rings) {
  const codes = [...INTERPRETING];
  for (const r of rings ?? []) {
    for (const code of r.interpreting ?? []) if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** An interpreter ring serves no calls of its own: nobody asks for it directly. */
export function isInterpreterRing(r) {
  return Array.isArray(r?.interpreting) && r.interpreting.length > 0;
}

export class PartyAdder {
  /** callId(): the call in progress or null; rings(): list_rings' rings. */
  constructor({ conn, callId, rings }) {
    this.conn = conn;
    this.callId = callId;
    this.rings = rings;
    this.pending = new Map(); // id -> {kind, interpreter, ring}
    this.mode = null; // 'interpreter' | 'ring' while the form is open
    this.message = null; // {key, params}
    this.build();
    onLanguageChange(() => this.render());
  }

  build() {
    this.addInterpreter = el('button', { id: 'add-interpreter', type: 'button', 'data-i18n': 'party.addInterpreter',
      onclick: () => this.openForm('interpreter') });
    this.addAuthority = el('button', { id: 'add-authority', type: 'button', 'data-i18n': 'party.addAuthority',
      onclick: () => this.openForm('ring') });
    this.label = el('label', { for: 'party-choice', id: 'party-choice-label' });
    this.choice = el('select', { id: 'party-choice' });
    this.error = el('p', { id: 'party-error', class: 'error', role: 'alert' });
    this.form = el('form', { id: 'party-form', class: 'party-form', hidden: true, novalidate: true },
      this.label, this.choice,
      el('button', { id: 'party-ask', type: 'submit', 'data-i18n': 'party.ask' }),
      el('button', { id: 'party-close', type: 'button', 'data-i18n': 'party.close', onclick: () => this.closeForm() }));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.ask();
    });
    this.list = el('ul', { id: 'party-pending', class: 'party-pending' });
    this.status = el('p', { id: 'party-status', role: 'status' });
    this.element = el('div', { id: 'party-adder', class: 'party-adder' },
      el('div', { class: 'party-buttons' }, this.addInterpreter, this.addAuthority), this.form, this.error, this.list,
      this.status);
    translate(this.element);
  }

  openForm(mode) {
    this.mode = mode;
    this.error.textContent = '';
    this.form.hidden = false;
    this.fillChoices();
    this.choice.focus();
  }

  closeForm() {
    this.mode = null;
    this.form.hidden = true;
  }

  fillChoices() {
    if (!this.mode) return;
    const chosen = this.choice.value;
    if (this.mode === 'interpreter') {
      this.label.textContent = t('party.language');
      this.choice.replaceChildren(...interpretingLanguages(this.rings())
        .map((code) => el('option', { value: code }, languageName(code))));
    } else {
      this.label.textContent = t('party.ring');
      this.choice.replaceChildren(...this.rings().filter((r) => !isInterpreterRing(r))
        .map((r) => el('option', { value: r.id }, ringName(r))));
    }
    if ([...this.choice.options].some((o) => o.value === chosen)) this.choice.value = chosen;
  }

  async ask() {
    const callId = this.callId();
    if (callId === null || !this.choice.value) return;
    const what = this.mode === 'interpreter' ? { interpreter: this.choice.value } : { ring: this.choice.value };
    this.error.textContent = '';
    try {
      const r = await this.conn.request('add_party', { callId, ...what });
      this.pending.set(r.id, { kind: r.kind, ...what });
      this.message = null;
      this.closeForm();
    } catch (err) {
      this.error.textContent = errorText(err);
    }
    this.render();
  }

  async cancel(id) {
    const callId = this.callId();
    if (callId === null) return;
    try {
      await this.conn.request('cancel_party', { callId, requestId: id });
      this.pending.delete(id);
      this.message = { key: 'party.ended.cancelled' };
    } catch (err) {
      this.error.textContent = errorText(err);
    }
    this.render();
  }

  /** party_joined, party_left and party_request_ended of the call in progress; true when it was one of them. */
  onPush(m) {
    if (m.callId !== this.callId()) return false;
    if (m.type === 'party_joined') {
      // The request that brought them ends with their joining: the oldest of their kind.
      const kind = m.member.role === 'interpreter' ? 'interpreter' : 'expert';
      const id = [...this.pending.keys()].find((k) => this.pending.get(k).kind === kind);
      if (id !== undefined) this.pending.delete(id);
      this.message = { key: 'party.joined', params: { name: m.member.name } };
    } else if (m.type === 'party_request_ended') {
      if (!this.pending.delete(m.id)) return true;
      const known = ['cancelled', 'call_ended'].includes(m.outcome);
      this.message = { key: known ? `party.ended.${m.outcome}` : 'party.ended.other' };
    } else if (m.type === 'party_left') {
      this.message = { key: 'party.left', params: { name: m.name ?? '' } };
    } else return false;
    this.render();
    return true;
  }

  /** A new call: nothing looked for yet. */
  reset() {
    this.pending.clear();
    this.message = null;
    this.error.textContent = '';
    this.closeForm();
    this.render();
  }

  render() {
    this.fillChoices();
    this.list.replaceChildren(...[...this.pending].map(([id, p]) => el('li', { 'data-id': id },
      el('span', { class: 'party-looking' }, p.interpreter
        ? t('party.lookingInterpreter', { language: languageName(p.interpreter) })
        : t('party.lookingAuthority', { ring: ringName(this.rings().find((r) => r.id === p.ring)) || p.ring })),
      ' ',
      el('button', { type: 'button', class: 'party-cancel', 'data-id': id, onclick: () => this.cancel(id) },
        t('party.cancel')))));
    this.status.textContent = this.message ? t(this.message.key, this.message.params) : '';
  }
}
