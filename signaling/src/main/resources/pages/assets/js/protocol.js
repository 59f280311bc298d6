// A client of the Palvelurinki protocol (docs/protocol.md), as the pages use it: hello and welcome,
// requests answered by their id, pushes, heartbeats, and resuming the session after a drop.

const SUBPROTOCOL = 'palvelurinki.v1';
const RETRY_MS = [250, 500, 1000, 2000, 4000];

/** A refusal from the server: code and reason as in docs/protocol.md. */
export class ProtocolError extends Error {
  constructor(code, reason) {
    super(reason);
    this.code = code;
  }
}

/**
 * Asks the server whether it takes this token now ('ok'), refuses it ('refused': expired, revoked, or
 * signed by another server), or cannot be asked ('unreachable'). The browser cannot tell these apart from
 * a refused WebSocket, and it must not judge a token's expiry by its own clock, which may be wrong.
 */
export async function tokenStatus(token) {
  try {
    const r = await fetch('/api/session', { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (r.status === 401) return 'refused';
    return r.ok ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/**
 * One session with the server, kept across dropped sockets. Events:
 *  - 'welcome' (detail: the welcome; resumed tells whether the session went on or started anew)
 *  - 'push' (detail: any server message that is not a reply)
 *  - 'status' (detail: 'connecting' | 'online' | 'reconnecting' | 'failed' | 'too_many' | 'expired')
 *  - 'expired' (the server refused the token on a reconnect: the session cannot go on without a new sign-in)
 */
export class Connection extends EventTarget {
  /**
   * urls: the nodes' WebSocket URLs (two nodes on one PostgreSQL journal, docs/operations.md); by default
   * this page's own server. A standby refuses the upgrade, so a connection that does not open moves on
   * to the next URL and resumes the session on whichever node is active.
   */
  constructor(token, urls) {
    super();
    this.token = token;
    this.urls = urls && urls.length ? [...urls] : [`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`];
    this.urlIndex = 0;
    this.refusedInARow = 0;
    this.ws = null;
    this.welcome = null;
    this.lastSeq = 0;
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject}
    this.outbox = []; // messages asked for while the socket is down, sent after the welcome
    this.closed = false;
    this.everOpened = false;
    this.attempt = 0;
    this.lastHeard = 0;
    this.ticker = null;
    this.ice = [];
    this.iceTimer = null;
    this.held = null; // those of a new session, dispatched just after its welcome
    this.early = null; // messages that came while saying hello, before the welcome that tells whose session they are
  }

  /**
   * The ICE servers to connect calls with now. TURN credentials are short-lived: they come with every
   * welcome and are renewed at half their lifetime, so that a long call can still restart ICE.
   */
  iceServers() {
    return this.ice;
  }

  renewIceServers(ttlSeconds) {
    clearTimeout(this.iceTimer);
    if (!ttlSeconds || this.closed) return;
    this.iceTimer = setTimeout(() => {
      this.request('ice_servers').then((r) => {
        this.ice = r.iceServers;
        this.renewIceServers(r.iceServersTtlSeconds);
      }, () => this.renewIceServers(60));
    }, (ttlSeconds * 1000) / 2);
  }

  /** Opens the session; resolves with the first welcome. */
  open() {
    this.status('connecting');
    const first = new Promise((resolve, reject) => {
      this.firstWelcome = { resolve, reject };
    });
    this.connect();
    return first;
  }

  /** Sends a message of the given type; resolves with the reply, rejects with a ProtocolError. */
  request(type, fields = {}) {
    const id = `m${this.nextId++}`;
    const message = { type, id, ...fields };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.ready()) {
        this.ws.send(JSON.stringify(message));
      } else {
        this.outbox.push(message);
      }
    });
  }

  /** Ends the session for good (sign-out, page closed). */
  close() {
    this.closed = true;
    this.stopHeartbeat();
    clearTimeout(this.iceTimer);
    if (this.ws) this.ws.close(1000, 'bye');
  }

  ready() {
    return this.ws && this.ws.readyState === WebSocket.OPEN && this.welcome !== null && !this.handshaking;
  }

  status(s) {
    this.dispatchEvent(new CustomEvent('status', { detail: s }));
  }

  get url() {
    return this.urls[this.urlIndex];
  }

  connect() {
    const ws = new WebSocket(this.url, [SUBPROTOCOL, `bearer.${this.token}`]);
    this.ws = ws;
    this.handshaking = true;
    this.early = [];
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.refusedInARow = 0;
      this.everOpened = true;
      this.lastHeard = Date.now();
      const hello = { type: 'hello', id: `h${this.nextId++}` };
      if (this.welcome) {
        hello.resumeToken = this.welcome.resumeToken;
        hello.lastSeq = this.lastSeq;
      }
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (e) => this.receive(JSON.parse(e.data));
    ws.onclose = (e) => {
      if (ws !== this.ws) return;
      this.stopHeartbeat();
      if (this.closed) return;
      if (e.code === 4409) {
        // A customer's link was opened on another device, which took the session over: do not take it back.
        this.closed = true;
        this.status('taken_over');
        this.dispatchEvent(new CustomEvent('taken_over'));
        return;
      }
      if (e.code === 1008) {
        // Too many connections of this user: trying again would only push another one out.
        this.closed = true;
        this.status('too_many');
        this.firstWelcome?.reject(new ProtocolError('too_many', e.reason));
        return;
      }
      if (!opened && this.urls.length > 1) {
        // This node is down or stands by: the next one may be the active one.
        this.urlIndex = (this.urlIndex + 1) % this.urls.length;
        this.refusedInARow++;
        if (this.refusedInARow < this.urls.length) {
          setTimeout(() => this.connect(), 0);
          return;
        }
        this.refusedInARow = 0;
      }
      if (!this.everOpened) {
        // Refused before the upgrade (a bad or expired token gets 401) or no server at all.
        this.closed = true;
        this.status('failed');
        this.firstWelcome?.reject(new ProtocolError('unauthorized', 'cannot connect'));
        return;
      }
      this.status('reconnecting');
      const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
      this.attempt++;
      if (opened) {
        setTimeout(() => this.connect(), delay);
        return;
      }
      // Refused before the upgrade: the server may be down, or the token may have expired meanwhile.
      tokenStatus(this.token).then((verdict) => {
        if (this.closed || ws !== this.ws) return;
        if (verdict === 'refused') {
          this.closed = true;
          this.status('expired');
          this.dispatchEvent(new CustomEvent('expired'));
          return;
        }
        setTimeout(() => this.connect(), delay);
      });
    };
  }

  receive(m) {
    this.lastHeard = Date.now();
    if (this.held) {
      this.held.push(m); // after the held ones, in order
      return;
    }
    if (this.early && m.type !== 'welcome') {
      // Until the welcome says whether the session was resumed, a message's seq cannot be judged: a new
      // session numbers from 1, so its first pushes would look like ones already seen on the old session.
      this.early.push(m);
      return;
    }
    this.handle(m);
  }

  handle(m) {
    if (m.type === 'welcome') {
      this.onWelcome(m);
      return;
    }
    if (m.seq > 0) {
      if (m.seq <= this.lastSeq) return; // already seen before a resume
      this.lastSeq = m.seq;
    }
    if (m.type === 'pong') return;
    const waiting = m.re !== undefined ? this.pending.get(m.re) : undefined;
    if (waiting) {
      this.pending.delete(m.re);
      if (m.type === 'error') waiting.reject(new ProtocolError(m.code, m.reason));
      else waiting.resolve(m);
      return;
    }
    this.dispatchEvent(new CustomEvent('push', { detail: m }));
  }

  onWelcome(w) {
    const early = this.early ?? [];
    this.early = null;
    if (w.resumed) {
      // What was missed, replayed before the welcome: the session goes on as if never dropped.
      for (const m of early) this.handle(m);
      this.lastSeq = Math.max(this.lastSeq, w.seq);
    }
    this.started(w);
    if (!w.resumed && early.length > 0) {
      // A new session's first pushes came before its welcome (with lower seqs). They are news of the new
      // session: dispatched after the page has rebuilt itself from the welcome's state, in their order.
      this.held = early;
      setTimeout(() => this.releaseHeld(), 0);
    }
  }

  releaseHeld() {
    const held = this.held ?? [];
    this.held = null;
    for (const m of held) {
      if (m.seq > 0 && m.seq < this.welcome.seq) {
        if (m.type !== 'pong') this.dispatchEvent(new CustomEvent('push', { detail: m }));
      } else {
        this.handle(m);
      }
    }
  }

  started(w) {
    if (!w.resumed) {
      // A new session: replies to what was sent on the old one will never come.
      this.lastSeq = w.seq;
      for (const [, p] of this.pending) p.reject(new ProtocolError('connection_lost', 'the connection was lost'));
      this.pending.clear();
    }
    this.welcome = w;
    this.ice = w.iceServers ?? [];
    this.renewIceServers(w.iceServersTtlSeconds);
    this.handshaking = false;
    this.attempt = 0;
    this.startHeartbeat(w.heartbeatSeconds);
    for (const m of this.outbox.splice(0)) this.ws.send(JSON.stringify(m));
    this.status('online');
    if (this.firstWelcome) {
      this.firstWelcome.resolve(w);
      this.firstWelcome = null;
    } else {
      this.dispatchEvent(new CustomEvent('welcome', { detail: w }));
    }
  }

  // Pings at half the heartbeat interval. A server silent for 2.5 intervals is taken for dead and the
  // socket is replaced. The clock runs in a worker: browsers slow down timers of background tabs to
  // once a minute, which would let the server close an expert's connection while they wait for calls.
  startHeartbeat(seconds) {
    this.stopHeartbeat();
    const interval = Math.max(1, seconds) * 1000;
    this.ticker = new Worker('/assets/js/ticker.js');
    this.ticker.onmessage = () => {
      if (!this.ready()) return;
      if (Date.now() - this.lastHeard > interval * 2.5) {
        this.ws.close(4000, 'no pong');
        return;
      }
      this.ws.send(JSON.stringify({ type: 'ping', id: `p${this.nextId++}`, lastSeq: this.lastSeq }));
    };
    this.ticker.postMessage(interval / 2);
  }

  stopHeartbeat() {
    if (this.ticker) this.ticker.terminate();
    this.ticker = null;
  }
}
