// Video for a call: the camera, the peer-to-peer WebRTC connection (SDP and trickle ICE relayed by the
// server as "signal" messages), the call view with its controls, and the time to video.
import { $, el, showView } from './page.js';
import { decimal, onLanguageChange, t, translate } from './i18n.js';
import { applySpeaker, mediaConstraints } from './devices.js';

/** Why the camera could not be had: 'notFound' | 'denied' | 'inUse' | 'unsupported'. */
export class CameraError extends Error {
  constructor(kind, cause) {
    super(`camera: ${kind}`);
    this.kind = kind;
    this.cause = cause;
  }
}

/** Camera and microphone, both live, or a CameraError. */
export async function openCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // Browsers offer the camera only to secure pages: https, or http on this machine.
    throw new CameraError('unsupported');
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(mediaConstraints());
  } catch (e) {
    const kind = { NotFoundError: 'notFound', OverconstrainedError: 'notFound', NotAllowedError: 'denied',
      SecurityError: 'denied', NotReadableError: 'inUse', AbortError: 'inUse' }[e.name] ?? 'notFound';
    throw new CameraError(kind, e);
  }
  const live = (tracks) => tracks.length > 0 && tracks.every((tr) => tr.readyState === 'live');
  if (!live(stream.getVideoTracks()) || !live(stream.getAudioTracks())) {
    stream.getTracks().forEach((tr) => tr.stop());
    throw new CameraError('notFound');
  }
  return stream;
}

export function stopCamera(stream) {
  if (stream) stream.getTracks().forEach((tr) => tr.stop());
}

const QUALITY_EVERY_MS = 10000;
const RESTART_EVERY_MS = 5000;

/**
 * The media connection to one other party of a call. A call of two has one; a call of three or four is a
 * mesh with one per other party (docs/pages.md, "Calls of three or four"). The side that offers first is
 * the advisor in a call of two (call_connected's initiator) and the newcomer when a party joins.
 * A side that joins a call in progress again (after reloading the page) offers anew on a fresh connection,
 * and a side that gets an offer of another session (its SDP "o=" line) starts a fresh connection for it:
 * the other side has started over.
 *
 * When the media is lost (ICE disconnected or failed) or the network changes, ICE is restarted on the
 * same connection through the server ("signal" offers of the same session). Both sides may restart: the
 * polite side rolls its own offer back when offers cross, the impolite one ignores an offer that crosses
 * its own. A side that started over ignores ICE restarts of the old session until the other side has
 * followed it.
 *
 * party: the other party's key ("expert:eeva"), or null while it is not known (a call of two on a
 * rejoin); addressed(): whether signals must name it (`to`), as they must in a call of three or four.
 */
export class PeerCall {
  constructor({ conn, callId, party = null, addressed = () => false, initiator, polite, iceConfig, stream, remoteVideo,
    onState, onFirstFrame, onMedia, onPeerState = () => {} }) {
    Object.assign(this, { conn, callId, party, addressed, initiator, polite, iceConfig, stream, remoteVideo, onState,
      onFirstFrame, onMedia, onPeerState });
    this.mine = { mic: true, cam: true };
    this.pc = null;
    this.pendingCandidates = [];
    this.firstFrameSeen = false;
    this.closed = false;
    this.mediaLost = false;
    this.restarts = 0;
  }

  start(offer = this.initiator) {
    this.newConnection();
    if (offer) this.offer();
  }

  newConnection() {
    if (this.pc) this.pc.close();
    const pc = new RTCPeerConnection(this.iceConfig());
    this.pc = pc;
    this.pendingCandidates = [];
    this.stream.getTracks().forEach((tr) => pc.addTrack(tr, this.stream));
    // Whether each side's microphone and camera are on: a disabled track only sends silence and black frames,
    // which the other side could not tell from a broken camera. Negotiated (same id on both sides), so it
    // needs no signalling of its own.
    this.channel = pc.createDataChannel('state', { negotiated: true, id: 0 });
    this.channel.onopen = () => this.sendState();
    this.channel.onmessage = (e) => {
      try {
        const m = JSON.parse(e.data);
        this.onPeerState({ mic: m.mic !== false, cam: m.cam !== false });
      } catch {
        // not ours: ignored
      }
    };
    pc.onicecandidate = (e) => {
      if (pc !== this.pc) return;
      if (e.candidate) {
        const c = e.candidate;
        this.send({ candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? undefined,
          sdpMLineIndex: c.sdpMLineIndex ?? undefined, usernameFragment: c.usernameFragment ?? undefined } });
      } else {
        this.send({ endOfCandidates: true });
      }
    };
    pc.ontrack = (e) => {
      if (pc !== this.pc) return;
      if (this.remoteVideo.srcObject !== e.streams[0]) this.remoteVideo.srcObject = e.streams[0];
      this.watchFirstFrame(pc);
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      this.onState(pc.connectionState);
    };
    pc.oniceconnectionstatechange = () => {
      if (pc !== this.pc || this.closed) return;
      const s = pc.iceConnectionState;
      if (s === 'connected' || s === 'completed') this.media(false);
      else if (s === 'disconnected' || s === 'failed') {
        this.media(true);
        this.restartIce();
      }
    };
  }

  /** The media to this party is lost or back, once per change (the call view tells the server). */
  media(lost) {
    if (lost === this.mediaLost) return;
    this.mediaLost = lost;
    if (lost) this.keepRestarting();
    else {
      clearInterval(this.restartTimer);
      this.restartTimer = null;
    }
    this.onMedia(lost);
  }

  /** While the media stays lost, ICE is tried again every few seconds (the network may come back later). */
  keepRestarting() {
    if (this.restartTimer) return;
    this.restartTimer = setInterval(() => {
      if (this.closed || !this.mediaLost) return;
      this.restartIce();
    }, RESTART_EVERY_MS);
  }

  /**
   * A new ICE session on the same connection, with the freshest ICE servers (TURN credentials): for lost
   * media and for a changed network. An offer already under way is left to finish.
   */
  async restartIce() {
    const pc = this.pc;
    if (this.closed || !pc || pc.signalingState !== 'stable' || !pc.remoteDescription) return;
    this.restarts++;
    pc.setConfiguration(this.iceConfig());
    await this.offer({ iceRestart: true });
  }

  async offer(options = {}) {
    const pc = this.pc;
    this.makingOffer = true;
    try {
      await pc.setLocalDescription(await pc.createOffer(options));
      this.send({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    } finally {
      this.makingOffer = false;
    }
  }

  /** A "signal" push from this party. */
  async onSignal(m) {
    if (this.closed) return;
    if (m.sdp) {
      if (m.sdp.type === 'offer' && this.pc.remoteDescription
          && sessionId(m.sdp.sdp) !== sessionId(this.pc.remoteDescription.sdp)) this.newConnection();
      const pc = this.pc;
      if (m.sdp.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable')) {
        // Offers crossed. A side that started over (no remote description yet) waits for its answer; when
        // both were restarting ICE, the polite side gives its own offer up and the other ignores this one.
        if (!pc.remoteDescription || !this.polite) return;
        await pc.setLocalDescription({ type: 'rollback' });
      }
      if (m.sdp.type === 'answer' && pc.signalingState !== 'have-local-offer') return;
      await pc.setRemoteDescription(m.sdp);
      for (const c of this.pendingCandidates.splice(0)) await pc.addIceCandidate(c).catch(() => {});
      if (m.sdp.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        this.send({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
      }
    } else if (m.candidate) {
      // Candidates may overtake the description they belong to: keep them until it is set.
      if (this.pc.remoteDescription) await this.pc.addIceCandidate(m.candidate).catch(() => {});
      else this.pendingCandidates.push(m.candidate);
    }
  }

  send(fields) {
    const to = this.party && this.addressed() ? { to: this.party } : {};
    this.conn.request('signal', { callId: this.callId, ...to, ...fields }).catch(() => {});
  }

  /** The first decoded video frame, read from getStats as the time-to-video metric defines it. */
  watchFirstFrame(pc) {
    if (this.firstFrameSeen || this.frameTimer) return;
    this.frameTimer = setInterval(async () => {
      if (pc !== this.pc || this.closed) {
        clearInterval(this.frameTimer);
        this.frameTimer = null;
        return;
      }
      if ((await framesDecoded(pc)) > 0 && !this.firstFrameSeen) {
        this.firstFrameSeen = true;
        clearInterval(this.frameTimer);
        this.frameTimer = null;
        this.onFirstFrame();
      }
    }, 50);
  }

  setMicrophone(on) {
    this.stream.getAudioTracks().forEach((tr) => { tr.enabled = on; });
    this.mine.mic = on;
    this.sendState();
  }

  setCamera(on) {
    this.stream.getVideoTracks().forEach((tr) => { tr.enabled = on; });
    this.mine.cam = on;
    this.sendState();
  }

  sendState() {
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(this.mine));
  }

  close() {
    this.closed = true;
    if (this.frameTimer) clearInterval(this.frameTimer);
    clearInterval(this.restartTimer);
    if (this.pc) this.pc.close();
    this.remoteVideo.srcObject = null;
  }
}

/**
 * 'good', 'fair' or 'poor' for the call view's indicator. Poor is the server's own line (CallQuality.poor:
 * round trip 400 ms, loss 5 %, under 10 frames a second); fair is half way there.
 */
export function qualityLevel(rttMs, lossPermille, fps) {
  if (rttMs >= 400 || lossPermille >= 50 || fps < 10) return 'poor';
  if (rttMs >= 200 || lossPermille >= 20 || fps < 20) return 'fair';
  return 'good';
}

/** The session id of an SDP's "o=" line: the same for every description of one peer connection. */
function sessionId(sdp) {
  const m = /^o=\S+ (\d+) /m.exec(sdp ?? '');
  return m ? m[1] : null;
}

/** Totals of what a connection received so far, and its round trip now. */
async function receiveStats(pc) {
  const out = { at: performance.now(), lost: 0, received: 0, bytes: 0, frames: 0, rttMs: 0 };
  const stats = await pc.getStats();
  let pairId = null;
  stats.forEach((r) => {
    if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId;
  });
  stats.forEach((r) => {
    if (r.type === 'inbound-rtp') {
      out.lost += r.packetsLost ?? 0;
      out.received += r.packetsReceived ?? 0;
      out.bytes += r.bytesReceived ?? 0;
      if (r.kind === 'video') out.frames += r.framesDecoded ?? 0;
    } else if (r.type === 'candidate-pair' && r.id === pairId) {
      out.rttMs = (r.currentRoundTripTime ?? 0) * 1000;
    }
  });
  return out;
}

/** Video frames decoded so far on a connection. */
export async function framesDecoded(pc) {
  let frames = 0;
  (await pc.getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
  });
  return frames;
}

/**
 * Quality of the call as a whole, from what this side received from every other party in one interval:
 * the worst round trip, the loss over all received packets, the total bitrate, and the frames of the
 * party whose video came slowest (a frozen tile makes the call poor). Deltas are per party: a connection
 * that started over begins its totals anew.
 */
function callQuality(previous, current) {
  let ms = 0;
  let rttMs = 0;
  let lost = 0;
  let got = 0;
  let kbps = 0;
  let frames = Infinity;
  for (const [key, now] of current) {
    const last = previous.get(key);
    if (!last || now.at <= last.at) continue;
    const span = now.at - last.at;
    ms = Math.max(ms, span);
    rttMs = Math.max(rttMs, now.rttMs);
    lost += Math.max(0, now.lost - last.lost);
    got += Math.max(0, now.received - last.received);
    kbps += (Math.max(0, now.bytes - last.bytes) * 8) / span;
    frames = Math.min(frames, Math.max(0, now.frames - last.frames));
  }
  if (ms === 0) return null;
  return { ms, rttMs, lossPermille: lost + got > 0 ? (1000 * lost) / (lost + got) : 0, kbps, frames };
}

/** The label's role word for a party: advisor, expert or interpreter. */
function roleText(role) {
  return t(`call.role.${role}`);
}

/**
 * The full-screen call view, the same for advisor, expert and interpreter: a tile for each other party
 * (their video, or a placeholder when their camera is off, labelled with name and role; two to four parties
 * in a grid), your own video in a corner, what the call is about, the call's time, connection and quality,
 * microphone and camera toggles, full screen and hang up. While it is open the keyboard stays in it: what
 * lies under it (the header, its links) is inert.
 *
 * In a call of two the one tile keeps the ids remote-video, remote-placeholder and remote-muted, and the
 * section's data-peer-cam/-mic tell its state; in a call of three or four the first party's tile keeps them.
 */
export class CallView {
  /** controls: more buttons for the call bar (an element), e.g. the advisor's "Add interpreter". */
  constructor({ conn, onHangup, controls = null }) {
    this.conn = conn;
    this.onHangup = onHangup;
    this.extraControls = controls;
    this.currentCallId = null;
    this.peers = new Map(); // key (the party's key, or '' while unknown) -> {party, role, name, call, tile…}
    this.tileSeq = 0;
    this.startedAt = 0;
    this.connStatus = 'online';
    this.build();
    onLanguageChange(() => this.renderStatus());
    conn.addEventListener('push', (e) => {
      if (e.detail.type === 'signal') this.onSignal(e.detail);
    });
    // The server connection's state belongs in the call too: the header is under the call.
    conn.addEventListener('status', (e) => {
      this.connStatus = e.detail;
      this.renderStatus();
    });
    // A laptop that moved to another network: its old ICE candidates are gone, so ICE starts anew.
    conn.addEventListener('welcome', (e) => {
      if (e.detail.resumed) this.restartIce();
    });
    window.addEventListener('online', () => this.restartIce());
    navigator.connection?.addEventListener?.('change', () => this.restartIce());
    // For diagnostics (and the browser tests): the first party's connection, and every party's.
    window.palvelurinki.peer = () => this.call?.pc ?? null;
    window.palvelurinki.call = () => this.call;
    window.palvelurinki.peers = () => Object.fromEntries([...this.peers.values()].map((p) => [p.party ?? '', p.call.pc]));
  }

  /** The first other party's connection (the only one in a call of two). */
  get call() {
    const first = this.peers.values().next();
    return first.done ? null : first.value.call;
  }

  build() {
    this.tiles = el('div', { id: 'tiles', class: 'tiles' });
    this.local = el('video', { id: 'local-video', autoplay: true, playsinline: true, muted: true, 'data-i18n-label': 'call.localVideo' });
    this.local.muted = true; // the attribute alone does not mute a stream set from script
    this.title = el('h1', { id: 'call-title' });
    this.statusLine = el('p', { id: 'call-status', role: 'status' });
    this.timer = el('p', { id: 'call-timer', class: 'timer' });
    this.quality = el('p', { id: 'call-quality', class: 'quality' });
    this.context = el('dl', { id: 'call-context', class: 'call-context' });
    // The buttons say what they will do ("Mute microphone" / "Unmute microphone").
    this.mic = el('button', { id: 'toggle-mic', type: 'button', onclick: () => this.toggleMic() });
    this.cam = el('button', { id: 'toggle-camera', type: 'button', onclick: () => this.toggleCamera() });
    const full = el('button', { id: 'fullscreen', type: 'button', 'data-i18n': 'call.fullscreen',
      onclick: () => this.section.requestFullscreen?.().catch(() => {}) });
    this.hangupButton = el('button', { id: 'hangup', type: 'button', class: 'danger', 'data-i18n': 'call.hangup',
      onclick: () => this.onHangup() });
    this.section = el('section', { id: 'call', class: 'view call', hidden: true, 'aria-labelledby': 'call-title' },
      this.tiles, this.local,
      el('div', { class: 'call-bar' },
        el('div', { class: 'call-info' }, this.title, this.statusLine,
          el('div', { class: 'call-meta' }, this.timer, this.quality), this.context, this.extraControls),
        el('div', { class: 'call-controls' }, this.mic, this.cam, full, this.hangupButton)));
    this.section.addEventListener('keydown', (e) => this.keepFocus(e));
    $('main').append(this.section);
    translate(this.section);
  }

  /** Tab from the last control goes to the first and Shift+Tab from the first to the last. */
  keepFocus(e) {
    if (e.key !== 'Tab') return;
    const controls = [...this.section.querySelectorAll('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')]
      .filter((c) => !c.disabled && !c.hidden && c.offsetParent !== null);
    if (controls.length === 0) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    } else if (!this.section.contains(document.activeElement)) {
      e.preventDefault();
      first.focus();
    }
  }

  /** Everything outside the call view is taken out of reach (and of the accessibility tree) while it is open. */
  setOutsideInert(inert) {
    for (const node of document.body.children) {
      if (node.tagName === 'SCRIPT' || node.contains(this.section)) continue;
      node.inert = inert;
    }
    for (const node of $('main').children) {
      if (node !== this.section) node.inert = inert;
    }
  }

  /**
   * Shows the view and opens the peer connection for a call: callId and initiator as call_connected
   * says, startedAt the click the time to video is measured from (reported unless report is false).
   * self and members: this side's party key and the other parties (call_connected's party and members;
   * without them, one other party named otherName). otherName names the first member when given (the
   * expert's page says which point and advisor). context: what the call is about, [{key, value}] with
   * value a function giving the text in the page's language, shown for the whole call.
   */
  open({ callId, initiator, otherName, stream, startedAt, report = true, context = [], self = null, members = null }) {
    this.close();
    this.currentCallId = callId;
    this.self = self;
    this.stream = stream;
    this.report = report;
    this.startedAt = startedAt;
    this.connectedAt = performance.now();
    this.micOn = true;
    this.camOn = true;
    this.qualityLevel = null;
    this.videoMs = null;
    this.mediaLost = false;
    this.contextItems = context;
    this.local.srcObject = stream;
    this.section.dataset.callId = callId;
    this.section.dataset.connectionState = 'new';
    delete this.section.dataset.videoMs;
    const list = members && members.length > 0 ? members
      : [{ party: null, role: this.conn.welcome.role === 'expert' ? 'advisor' : 'expert', name: otherName }];
    list.forEach((m, i) => this.addPeer({ ...m, name: i === 0 && otherName ? otherName : m.name }, initiator));
    this.renderStatus();
    showView('call', false);
    this.setOutsideInert(true);
    this.tick = setInterval(() => this.renderTimer(), 1000);
    this.hangupButton.focus();
  }

  /**
   * This side joined a call in progress (call_joined): it offers to every party already in it, one
   * connection each.
   */
  join({ callId, self, members, stream, startedAt, context = [] }) {
    this.open({ callId, self, members, stream, startedAt, context, initiator: true });
  }

  /**
   * Rejoins a call in progress after the page was reloaded: a fresh connection, offered to the other
   * side. Its video is no "time to video" of the call: nothing is reported.
   */
  rejoin(args) {
    this.open({ ...args, initiator: true, startedAt: performance.now(), report: false });
  }

  /** A party joined the call (party_joined): its offer is awaited. */
  partyJoined(member) {
    if (this.currentCallId === null) return;
    const known = this.peers.get(member.party);
    if (known) {
      // Its offer came before the news (the two travel separately): only the label was missing.
      Object.assign(known, { role: member.role, name: member.name });
      this.renderStatus();
      return;
    }
    this.addPeer(member, false);
    this.renderStatus();
  }

  /** A party left the call (party_left): its connection and tile go; the others stay. */
  partyLeft(party) {
    const peer = this.peers.get(party);
    if (!peer) return;
    peer.call.close();
    peer.tile.remove();
    this.peers.delete(party);
    this.layout();
    this.mediaChanged();
    this.renderStatus();
  }

  /** A connection and a tile for one other party; offering to it when initiator. */
  addPeer(member, initiator) {
    const legacy = this.tileSeq === 0;
    const n = ++this.tileSeq;
    const id = (base) => (legacy ? base : `${base}-${n}`);
    const video = el('video', { id: id('remote-video'), class: 'remote', autoplay: true, playsinline: true });
    const placeholder = el('p', { id: id('remote-placeholder'), class: 'placeholder', hidden: true });
    const micBadge = el('p', { id: id('remote-muted'), class: 'badge', hidden: true });
    const label = el('p', { class: 'tile-label' });
    const tile = el('div', { class: 'tile', 'data-party': member.party ?? '', 'data-role': member.role ?? '' },
      video, placeholder, micBadge, label);
    this.tiles.append(tile);
    applySpeaker(video);
    const peer = { party: member.party ?? null, role: member.role, name: member.name ?? '', tile, video, placeholder,
      micBadge, label, state: 'new', remote: { mic: true, cam: true }, legacy };
    // Between two parties one is polite: by their keys where known (the expert side's is the greater of an
    // advisor and an expert, as before), else the expert side, as in every call of two.
    const polite = this.self && peer.party ? this.self > peer.party : this.conn.welcome.role === 'expert';
    peer.call = new PeerCall({
      conn: this.conn, callId: this.currentCallId, party: peer.party, polite,
      addressed: () => this.peers.size > 1,
      iceConfig: () => ({ iceServers: this.conn.iceServers(), iceTransportPolicy: this.conn.welcome.iceTransportPolicy ?? 'all' }),
      stream: this.stream, remoteVideo: video,
      onState: (s) => {
        peer.state = s;
        tile.dataset.connectionState = s;
        this.renderStatus();
      },
      onMedia: () => this.mediaChanged(),
      onFirstFrame: () => {
        tile.dataset.video = 'true';
        this.firstFrame();
      },
      onPeerState: (remote) => {
        peer.remote = remote;
        this.renderStatus();
      },
    });
    if (!this.micOn) peer.call.mine.mic = false;
    if (!this.camOn) peer.call.mine.cam = false;
    this.peers.set(peer.party ?? '', peer);
    this.layout();
    peer.call.start(initiator);
    return peer;
  }

  /** The tiles' grid: one large, two side by side, three or four in two rows. */
  layout() {
    this.tiles.dataset.count = String(this.peers.size);
    this.section.dataset.parties = String(this.peers.size + 1);
  }

  /** The first video frame from anyone: the call's time to video, as the metric defines it. */
  firstFrame() {
    if (this.videoMs !== null) return;
    this.videoMs = Math.round(performance.now() - this.startedAt);
    this.section.dataset.videoMs = this.videoMs;
    this.renderStatus();
    if (this.report) this.conn.request('media_report', { callId: this.currentCallId, timeToVideoMs: this.videoMs }).catch(() => {});
    this.reportQuality();
  }

  /**
   * The server is told the media is lost when it is lost to every other party (this side's network is the
   * likely cause, and the server ends the call if nothing comes back), and restored when any comes back.
   * One party's loss alone is that party's problem, not the call's.
   */
  mediaChanged() {
    const lost = this.peers.size > 0 && [...this.peers.values()].every((p) => p.call.mediaLost);
    this.section.dataset.mediaLost = lost;
    if (lost !== this.mediaLost) {
      this.mediaLost = lost;
      this.conn.request('media_state', { callId: this.currentCallId, state: lost ? 'lost' : 'restored' }).catch(() => {});
    }
    this.renderStatus();
  }

  /** Every 10 s: what this side receives from the others (round trip, loss, bitrate, frames) as one "call_quality". */
  reportQuality() {
    let last = new Map();
    clearInterval(this.qualityTimer);
    this.qualityTimer = setInterval(async () => {
      if (this.currentCallId === null) return;
      const now = new Map();
      for (const [key, p] of this.peers) {
        if (p.call.pc && !p.call.closed) now.set(key, await receiveStats(p.call.pc));
      }
      const q = callQuality(last, now);
      last = now;
      if (!q || this.currentCallId === null) return;
      const clamp = (v, max) => Math.min(max, Math.max(0, Math.round(v)));
      const fps = (q.frames * 1000) / q.ms;
      this.qualityLevel = qualityLevel(q.rttMs, q.lossPermille, fps);
      this.renderStatus();
      this.conn.request('call_quality', {
        callId: this.currentCallId, intervalMs: clamp(q.ms, 120000), rttMs: clamp(q.rttMs, 60000),
        lossPermille: clamp(q.lossPermille, 1000), bitrateKbps: clamp(q.kbps, 100000),
        framesDecoded: clamp(q.frames, Math.floor((Math.min(q.ms, 120000) * 120) / 1000)),
      }).catch(() => {});
    }, QUALITY_EVERY_MS);
  }

  /** ICE anew on every connection: the network changed or the server session was resumed. */
  restartIce() {
    for (const p of this.peers.values()) p.call.restartIce();
  }

  /**
   * A "signal" push: for the call on this view, or for none that is still going. It comes from the party
   * fromParty names; a call of two whose other party is not known by key yet takes it as theirs, and an
   * offer from a party not heard of yet (its offer overtook party_joined) opens a connection for it.
   */
  onSignal(m) {
    if (this.currentCallId === null || m.callId !== this.currentCallId) return;
    let peer = m.fromParty ? this.peers.get(m.fromParty) : null;
    if (!peer && this.peers.size === 1 && this.peers.has('')) {
      peer = this.peers.get('');
      if (m.fromParty) {
        this.peers.delete('');
        peer.party = m.fromParty;
        peer.call.party = m.fromParty;
        peer.tile.dataset.party = m.fromParty;
        this.peers.set(m.fromParty, peer);
      }
    }
    if (!peer && !m.fromParty && this.peers.size === 1) [peer] = this.peers.values();
    if (!peer && m.fromParty && m.sdp?.type === 'offer') {
      peer = this.addPeer({ party: m.fromParty, role: m.from === 'advisor' ? 'advisor' : 'expert', name: '' }, false);
      this.renderStatus();
    }
    if (peer) peer.call.onSignal(m);
  }

  renderTimer() {
    if (this.currentCallId === null) return;
    const s = Math.max(0, Math.floor((performance.now() - this.connectedAt) / 1000));
    const mmss = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    this.timer.textContent = t('call.timer', { time: mmss });
    this.timer.dataset.seconds = s;
  }

  /** The view's connection state: the peers' if they agree, else the worst of them. */
  connectionState() {
    const states = [...this.peers.values()].map((p) => p.state);
    if (states.length === 0) return 'new';
    if (states.every((s) => s === states[0])) return states[0];
    return ['failed', 'disconnected', 'new', 'connecting'].find((s) => states.includes(s)) ?? states[0];
  }

  renderStatus() {
    const peers = [...this.peers.values()];
    const names = peers.map((p) => p.name).filter((n) => n);
    this.title.textContent = t('call.with', { name: names.join(', ') });
    const state = this.connectionState();
    this.section.dataset.connectionState = state;
    let text = t('call.connecting');
    let problem = false;
    if (this.connStatus !== 'online') {
      text = t('call.serverLost');
      problem = true;
    } else if (this.mediaLost || state === 'failed') {
      text = t('call.reconnecting');
      problem = true;
    } else if (this.videoMs !== null && this.videoMs !== undefined) {
      text = `${t('call.connected')} · ${t('call.videoIn', { seconds: decimal(this.videoMs / 1000, 1) })}`;
    } else if (state === 'connected') text = t('call.connected');
    this.statusLine.textContent = text;
    this.statusLine.classList.toggle('problem', problem);
    this.quality.textContent = this.qualityLevel ? t('call.quality', { level: t(`call.quality.${this.qualityLevel}`) }) : '';
    if (this.qualityLevel) this.quality.dataset.level = this.qualityLevel;
    this.mic.textContent = t(this.micOn === false ? 'call.unmute' : 'call.mute');
    this.cam.textContent = t(this.camOn === false ? 'call.cameraOn' : 'call.cameraOff');
    for (const p of peers) {
      const who = p.name || t('call.otherParty');
      p.placeholder.hidden = p.remote.cam;
      p.placeholder.textContent = t('call.peerCameraOff', { name: who });
      p.video.classList.toggle('off', !p.remote.cam);
      p.video.setAttribute('aria-label', peers.length > 1 ? t('call.partyVideo', { name: who }) : t('call.remoteVideo'));
      p.micBadge.hidden = p.remote.mic;
      p.micBadge.textContent = peers.length > 1 ? t('call.partyMuted', { name: who }) : t('call.peerMuted');
      p.label.textContent = p.role ? `${who} · ${roleText(p.role)}` : who;
      p.tile.dataset.cam = String(p.remote.cam);
      p.tile.dataset.mic = String(p.remote.mic);
    }
    const first = peers.find((p) => p.legacy) ?? peers[0];
    const remote = first?.remote ?? { mic: true, cam: true };
    this.section.dataset.peerCam = String(remote.cam);
    this.section.dataset.peerMic = String(remote.mic);
    this.context.replaceChildren(...(this.contextItems ?? []).filter((c) => c.value())
      .flatMap((c) => [el('dt', {}, t(c.key)), el('dd', { 'data-key': c.key }, c.value())]));
    this.renderTimer();
  }

  toggleMic() {
    this.micOn = !this.micOn;
    for (const p of this.peers.values()) p.call.setMicrophone(this.micOn);
    this.renderStatus();
  }

  toggleCamera() {
    this.camOn = !this.camOn;
    for (const p of this.peers.values()) p.call.setCamera(this.camOn);
    this.renderStatus();
  }

  callId() {
    return this.currentCallId;
  }

  /** The name a party of the call is shown with ('' when not known). */
  partyName(party) {
    return this.peers.get(party)?.name ?? '';
  }

  /** This side's own party key in the call, when the server said it. */
  party() {
    return this.self ?? null;
  }

  close() {
    const wasOpen = this.currentCallId !== null;
    for (const p of this.peers.values()) p.call.close();
    this.peers.clear();
    this.tiles.replaceChildren();
    this.tileSeq = 0;
    this.currentCallId = null;
    clearInterval(this.tick);
    clearInterval(this.qualityTimer);
    this.local.srcObject = null;
    if (wasOpen) this.setOutsideInert(false);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }
}
