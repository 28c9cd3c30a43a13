// One Bayeux session per browser and gateway: every Cache of a page, and every tab of the browser, shares it.
//
// A browser holds at most 6 HTTP/1.1 connections per host, and each long-polling session holds one of
// them all the time; six tabs with a session each stall. So the tabs of one origin elect a leader with a
// Web Lock: the leader runs the one CometD client (an Engine), the others (followers) send it their
// operations and subscriptions over a BroadcastChannel and get the events back the same way. When the
// leader tab goes, its lock is released, the next tab in the lock's queue becomes leader, handshakes and
// subscribes everything the tabs still watch. Each tab applies the version rule itself (gridpush.js).
// Without Web Locks or BroadcastChannel (old browsers, Node.js), each page runs its own Engine.
//
// Every callback here runs on the page's main thread (CometD, BroadcastChannel and lock callbacks alike).
import { CometD, AckExtension } from "./cometd/cometd.js";

const CALL_TIMEOUT_MS = 10000;
// A token is refreshed in band a quarter of its remaining life before its exp, at most this long before.
const REFRESH_MARGIN_MS = 30000;
// Handshakes refused as token_expired in a row, each with a fresh token, before giving up.
const EXPIRED_IN_A_ROW = 3;
// How often the leader looks for tabs that went without saying goodbye (their tab lock is gone).
const SWEEP_MS = 5000;
// A WebSocket that opens (101) but never answers, or closes at once, is given up after this long.
const WEBSOCKET_PROOF_MS = 4000;

const links = new Map();

/**
 * The page's link to `url` for these options: one per gateway URL, token and transport. Caches with a
 * `tokenProvider` share one link per URL and transport, whose provider is that of the first (and, across
 * tabs, the leading tab's: only the leader handshakes).
 */
export function linkFor(url, options) {
    const credential = options.tokenProvider ? "provider" : options.token ? hash(options.token) : "";
    const key = [url, options.transport || "", credential].join("|");
    let link = links.get(key);
    if (!link) {
        link = new Link(key, url, options);
        links.set(key, link);
    }
    return link;
}

/** Drops a link that no Cache uses any more. */
function forget(link) {
    if (links.get(link.key) === link) {
        links.delete(link.key);
    }
}

// A short, non-reversible name for a token (channel and lock names are visible to the origin's pages only,
// but need not spell the token).
function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; ++i) {
        h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    }
    return h.toString(36);
}

/** A JWT's exp in ms, read without verifying (only the gateway can); undefined when there is none. */
function expiryOf(token) {
    try {
        const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
        const exp = JSON.parse(atob(payload)).exp;
        return typeof exp === "number" ? exp * 1000 : undefined;
    } catch (failure) {
        return undefined;
    }
}

function randomId() {
    return globalThis.crypto?.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
}

/**
 * The one CometD client of a link: one server subscription per channel however many subscribers it has,
 * a fresh snapshot (unsubscribe and subscribe in one batch) whenever a subscriber needs one.
 */
class Engine {
    #cometd;
    #channels = new Map();   // channel -> { subscription, subscribers: Map id -> deliver, waiting: Set, inflight: [] }
    #handshaken;
    #onState;
    #epoch = 0;
    #proof;
    #flushScheduled = false;
    #closed = false;
    #options;
    #token;                  // what the next handshake presents
    #sent;                   // what the last handshake presented
    #expiredInARow = 0;
    #refreshTimer = null;
    #prefetched = false;     // #token was just taken from the provider: the next handshake need not ask again

    constructor(url, options, onState) {
        this.#onState = onState;
        this.#options = options;
        this.#token = options.token;
        const cometd = new CometD();
        if (options.transport === "long-polling") {
            cometd.unregisterTransport("websocket");
        } else if (options.transport === "websocket") {
            cometd.unregisterTransport("long-polling");
        }
        cometd.unregisterTransport("callback-polling");
        cometd.registerExtension("ack", new AckExtension());
        cometd.registerExtension("gridpush-proof", {
            // The gateway gives a secret in the handshake reply; over long polling every message carries
            // it, so the session is proven without the BAYEUX_BROWSER cookie (blocked as a third-party cookie
            // when the page is on another site).
            incoming: message => {
                if (message.channel === "/meta/handshake" && message.successful && message.ext?.gridpush?.proof) {
                    this.#proof = message.ext.gridpush.proof;
                }
                return message;
            },
            outgoing: message => {
                if (this.#proof && message.channel !== "/meta/handshake" && cometd.getTransport()?.type === "long-polling") {
                    message.ext = { ...message.ext, gridpush: { proof: this.#proof } };
                }
                return message;
            },
        });
        // The token goes in every handshake, re-handshakes included, as the latest the provider gave.
        cometd.registerExtension("gridpush-token", {
            outgoing: message => {
                if (message.channel === "/meta/handshake") {
                    if (!this.#prefetched) {
                        this.#askProvider();
                    }
                    this.#prefetched = false;
                    this.#sent = this.#token;
                    if (this.#token) {
                        message.ext = { ...message.ext, auth: { token: this.#token } };
                    }
                }
                return message;
            },
        });
        cometd.configure({
            url,
            logLevel: options.logLevel || "warn",
            // The gateway accepts messages up to limits.messageBytes; the CometD default would refuse values over 8 KiB.
            maxSendBayeuxMessageSize: options.maxMessageBytes || 262144,
            // Reconnect attempts back off by 1 s more each time, up to 10 s (with jitter, below).
            backoffIncrement: 1000,
            maxBackoff: 10000,
        });
        // Equal jitter on every reconnect wait (between half and all of CometD's linear back-off), so the
        // clients of a restarted node do not all come back at the same instant.
        const linear = cometd.getBackoffPeriod.bind(cometd);
        cometd.getBackoffPeriod = () => {
            const period = linear();
            return period <= 0 ? 0 : Math.floor(period / 2 + Math.random() * period / 2);
        };
        this.#cometd = cometd;
        new WebSocketWatch(cometd, () => this.#closed);
        let handshaken;
        this.#handshaken = new Promise(resolve => {
            handshaken = resolve;
        });
        cometd.addListener("/meta/handshake", message => this.#onHandshake(message, handshaken));
        cometd.addListener("/meta/connect", message => {
            if (!this.#closed) {
                this.#onState({ status: message.successful ? "connected" : "reconnecting", transport: this.transport });
            }
        });
        cometd.addListener("/meta/disconnect", () => this.#onState({ status: "disconnected" }));
        this.#start();
    }

    async #start() {
        if (this.#options.tokenProvider) {
            this.#token = await this.#fresh();
            this.#prefetched = true;
        }
        if (!this.#closed) {
            this.#cometd.handshake();
        }
    }

    // The provider's token, or the current one if it fails.
    async #fresh() {
        try {
            return (await this.#options.tokenProvider()) || this.#token;
        } catch (failure) {
            return this.#token;
        }
    }

    // At a handshake: a provider that answers at once (a string) gives this handshake's token; one that
    // answers later (a Promise) gives the next one's, as CometD's extensions cannot wait.
    #askProvider() {
        if (!this.#options.tokenProvider) {
            return;
        }
        let answer;
        try {
            answer = this.#options.tokenProvider();
        } catch (failure) {
            return;
        }
        if (typeof answer === "string") {
            this.#token = answer;
        } else if (answer && typeof answer.then === "function") {
            answer.then(token => {
                if (token) {
                    this.#token = token;
                }
            }, () => {});
        }
    }

    // A margin before the token's exp, a fresh one from the provider is sent in band (/service/auth/token):
    // the session and its subscriptions go on. Should that fail, the gateway cuts the session with
    // 401::token_expired and CometD handshakes again, with the latest token.
    #refreshBeforeExpiry(token) {
        clearTimeout(this.#refreshTimer);
        const expiry = this.#options.tokenProvider && token ? expiryOf(token) : undefined;
        if (expiry === undefined || this.#closed) {
            return;
        }
        const left = expiry - Date.now();
        const delay = Math.max(0, left - Math.min(REFRESH_MARGIN_MS, Math.max(0, left / 4)));
        this.#refreshTimer = setTimeout(async () => {
            const fresh = await this.#fresh();
            if (this.#closed || !fresh || fresh === token || this.#cometd.isDisconnected()) {
                return;
            }
            this.#token = fresh;
            this.#cometd.remoteCall("auth/token", { token: fresh }, CALL_TIMEOUT_MS, reply => {
                if (reply.successful) {
                    this.#refreshBeforeExpiry(fresh);
                }
            });
        }, delay);
    }

    get cometd() {
        return this.#cometd;
    }

    get transport() {
        return this.#cometd.getTransport()?.type;
    }

    /** The reply of `/service/cache/{op}`: `{successful, data, error}`. */
    async call(op, data) {
        await this.#handshaken;
        return new Promise(resolve => {
            if (this.#closed || this.#cometd.isDisconnected()) {
                resolve({ successful: false, error: "disconnected" });
                return;
            }
            this.#cometd.remoteCall("cache/" + op, data, CALL_TIMEOUT_MS, reply => resolve({
                successful: reply.successful, data: reply.data, error: reply.error || reply.failure?.reason,
            }));
        });
    }

    /** Adds a subscriber to `channel`; it gets a snapshot of its own (the others ignore it by the version rule). */
    subscribe(channel, id, deliver) {
        let entry = this.#channels.get(channel);
        if (!entry) {
            entry = { subscription: null, subscribers: new Map(), waiting: new Set(), inflight: [] };
            this.#channels.set(channel, entry);
        }
        entry.subscribers.set(id, deliver);
        this.resubscribe(channel, id);
    }

    /** A fresh snapshot for subscriber `id` (a resync); requests of one moment share one server subscription. */
    resubscribe(channel, id) {
        const entry = this.#channels.get(channel);
        if (!entry || !entry.subscribers.has(id)) {
            return;
        }
        entry.waiting.add(id);
        if (!this.#flushScheduled) {
            this.#flushScheduled = true;
            setTimeout(() => this.#flush(), 0);
        }
    }

    unsubscribe(channel, id) {
        const entry = this.#channels.get(channel);
        if (!entry || !entry.subscribers.delete(id)) {
            return;
        }
        entry.waiting.delete(id);
        if (entry.subscribers.size === 0) {
            this.#channels.delete(channel);
            if (entry.subscription && !this.#cometd.isDisconnected()) {
                this.#cometd.unsubscribe(entry.subscription);
            }
        }
    }

    close() {
        this.#closed = true;
        clearTimeout(this.#refreshTimer);
        this.#cometd.disconnect();
    }

    // Refused as expired (with advice not to retry): one more handshake with a fresh token, if the provider
    // has one. A provider that gives the refused token again, or expired ones three times, is not retried.
    async #retryExpired() {
        if (!this.#options.tokenProvider || ++this.#expiredInARow >= EXPIRED_IN_A_ROW) {
            return false;
        }
        const refused = this.#sent;
        const fresh = await this.#fresh();
        if (!fresh || fresh === refused || this.#closed) {
            return false;
        }
        this.#token = fresh;
        this.#prefetched = true;
        setTimeout(() => {
            if (!this.#closed && this.#cometd.isDisconnected()) {
                this.#cometd.handshake();
            }
        }, 0);
        return true;
    }

    async #onHandshake(message, handshaken) {
        if (!message.successful) {
            const error = String(message.error || "");
            if (error === "403::token_expired" && await this.#retryExpired()) {
                this.#onState({ status: "reconnecting" });
            } else if (error.startsWith("403") || message.advice?.reconnect === "none") {
                this.#onState({ status: "disconnected", denied: error });
            } else {
                this.#onState({ status: "reconnecting" });
            }
            return;
        }
        // A successful handshake after the first is a new server session (expired, or a restarted
        // gateway) that knows none of our subscriptions. Subscribers are told first (they reset their
        // version gates), then every channel is subscribed again, which re-syncs from snapshots.
        // Subscriptions are sent only once handshaken: one queued before a handshake that fails (a
        // WebSocket the proxy refuses) would be lost with it.
        this.#expiredInARow = 0;
        this.#refreshBeforeExpiry(this.#sent);
        ++this.#epoch;
        this.#onState({ status: "connected", transport: this.transport, epoch: this.#epoch });
        for (const entry of this.#channels.values()) {
            entry.subscription = null;
            entry.inflight = [];
            for (const id of entry.subscribers.keys()) {
                entry.waiting.add(id);
            }
        }
        handshaken();
        this.#flush();
    }

    #flush() {
        this.#flushScheduled = false;
        if (this.#epoch === 0 || this.#closed) {
            return;
        }
        // One batch, so one request: sent apart, the unsubscription could overtake the subscription over
        // long polling and leave the session unsubscribed on the gateway.
        this.#cometd.batch(() => {
            for (const [channel, entry] of this.#channels) {
                if (entry.waiting.size > 0) {
                    this.#subscribeOnServer(channel, entry);
                }
            }
        });
    }

    #subscribeOnServer(channel, entry) {
        if (entry.subscription) {
            this.#cometd.unsubscribe(entry.subscription);
        }
        // The snapshot-end of this subscription answers exactly the subscribers waiting now: snapshot-ends
        // of one channel come in the order of the subscriptions.
        const answers = { ids: [...entry.waiting] };
        entry.waiting.clear();
        const wildcard = channel.endsWith("/*");
        if (wildcard) {
            entry.inflight.push(answers);
        }
        entry.subscription = this.#cometd.subscribe(channel, message => {
            const data = message.data;
            let ends;
            if (data?.type === "snapshot-end") {
                ends = entry.inflight.shift()?.ids || [];
            }
            for (const [id, deliver] of entry.subscribers) {
                deliver(data, ends === undefined ? undefined : ends.includes(id));
            }
        }, reply => {
            if (!reply.successful && wildcard) {
                const at = entry.inflight.indexOf(answers);
                if (at >= 0) {
                    entry.inflight.splice(at, 1);
                }
            }
        });
    }
}

/**
 * A WebSocket that a proxy answers with 101 and then black-holes, or closes at once. CometD counts a
 * WebSocket that opened as working and keeps reconnecting over it. Until a /meta/connect has succeeded
 * over WebSocket, this client gives it WEBSOCKET_PROOF_MS; a failure before then, or no success by then,
 * drops WebSocket and handshakes again over long polling, which the page then keeps for its life.
 */
class WebSocketWatch {
    constructor(cometd, closed) {
        if (!cometd.findTransport("websocket") || !cometd.findTransport("long-polling")) {
            return;
        }
        let proven = false;
        const onWebSocket = () => cometd.getTransport()?.type === "websocket";
        const base = cometd.onTransportFailure.bind(cometd);
        // CometD's hook for a failed message: called on the main thread with what it is about to do.
        cometd.onTransportFailure = (message, failureInfo, handler) => {
            if (proven || closed() || !onWebSocket() || !cometd.findTransport("websocket")) {
                base(message, failureInfo, handler);
                return;
            }
            cometd.unregisterTransport("websocket");
            handler.call(cometd, { ...failureInfo, action: "handshake", delay: 0, transport: cometd.findTransport("long-polling") });
        };
        cometd.addListener("/meta/connect", message => {
            if (message.successful && onWebSocket()) {
                proven = true;
            }
        });
        setTimeout(() => {
            if (!proven && !closed() && onWebSocket()) {
                // Fails what is in flight, which goes through onTransportFailure above.
                cometd.getTransport().abort();
            }
        }, WEBSOCKET_PROOF_MS);
    }
}

/**
 * What Cache objects of one page use: operations, subscriptions and the connection state, whichever tab
 * runs the Engine. A subscriber's `deliver(event, mine)` gets every event of its channel; `mine` says, on
 * a snapshot-end, whether it answers this subscriber's (re)subscription.
 */
class Link {
    #url;
    #options;
    #tab = randomId();
    #bus;                        // BroadcastChannel, null when not shared
    #engine = null;              // when this tab leads
    #leader = null;              // the leading tab's id, when known
    #nextId = 0;
    #subs = new Map();           // id -> { channel, deliver }
    #calls = new Map();          // id -> { op, data, resolve, sentTo, received }
    #listeners = new Set();      // state listeners
    #state = { status: "connecting", transport: undefined, session: null, denied: null };
    #release = null;             // ends this tab's hold on the leader lock
    #sweeper = null;
    #remote = new Map();         // when leading: subscriber id -> { tab, channel }

    constructor(key, url, options) {
        this.key = key;
        this.#url = url;
        this.#options = options;
        const shared = options.share !== false && globalThis.navigator?.locks && typeof BroadcastChannel === "function";
        if (!shared) {
            this.#bus = null;
            this.#lead();
            return;
        }
        this.#bus = new BroadcastChannel("gridpush:" + key);
        this.#bus.onmessage = event => this.#onBus(event.data);
        // Each tab holds a lock of its own while it lives, so the leader can tell which tabs are gone.
        navigator.locks.request("gridpush-tab:" + key + ":" + this.#tab, () => new Promise(resolve => {
            this.#releaseTab = resolve;
        }));
        navigator.locks.request("gridpush-leader:" + key, () => new Promise(resolve => {
            this.#release = resolve;
            this.#lead();
        }));
        this.#post({ t: "hello", tab: this.#tab });
        globalThis.addEventListener?.("pagehide", () => this.#post({ t: "bye", tab: this.#tab }));
    }

    #releaseTab = null;

    get state() {
        return this.#state;
    }

    /** The CometD client, in the tab that runs it; undefined elsewhere. */
    get cometd() {
        return this.#engine?.cometd;
    }

    get leading() {
        return this.#engine !== null;
    }

    onState(listener) {
        this.#listeners.add(listener);
    }

    offState(listener) {
        this.#listeners.delete(listener);
        if (this.#listeners.size === 0) {
            this.#close();
        }
    }

    call(op, data) {
        return new Promise(resolve => {
            if (this.#engine) {
                this.#engine.call(op, data).then(resolve);
                return;
            }
            const id = this.#tab + ":" + ++this.#nextId;
            const call = { op, data, resolve, sentTo: null };
            this.#calls.set(id, call);
            call.timer = setTimeout(() => this.#settle(id, { successful: false, error: "no reply from the leading tab" }),
                CALL_TIMEOUT_MS * 2);
            this.#send(id, call);
        });
    }

    subscribe(channel, deliver) {
        const id = this.#tab + ":" + ++this.#nextId;
        this.#subs.set(id, { channel, deliver });
        if (this.#engine) {
            this.#engine.subscribe(channel, id, deliver);
        } else if (this.#leader) {
            this.#post({ t: "sub", tab: this.#tab, id, channel });
        }
        return id;
    }

    resubscribe(id) {
        const sub = this.#subs.get(id);
        if (!sub) {
            return;
        }
        if (this.#engine) {
            this.#engine.resubscribe(sub.channel, id);
        } else if (this.#leader) {
            this.#post({ t: "resub", tab: this.#tab, id, channel: sub.channel });
        }
    }

    unsubscribe(id) {
        const sub = this.#subs.get(id);
        if (!sub) {
            return;
        }
        this.#subs.delete(id);
        if (this.#engine) {
            this.#engine.unsubscribe(sub.channel, id);
        } else if (this.#leader) {
            this.#post({ t: "unsub", tab: this.#tab, id, channel: sub.channel });
        }
    }

    // This tab now runs the Engine: for its own subscriptions, and for the other tabs' once they re-send them.
    #lead() {
        this.#engine = new Engine(this.#url, this.#options, state => this.#onEngineState(state));
        this.#leader = this.#tab;
        for (const [id, sub] of this.#subs) {
            this.#engine.subscribe(sub.channel, id, sub.deliver);
        }
        for (const [id, call] of this.#calls) {
            // Calls the previous leader received may or may not have run: "unavailable" is safe to retry.
            // Those it never received (it was gone already) run here.
            if (call.received) {
                this.#settle(id, { successful: false, data: { error: "unavailable", message: "the leading tab went away" } });
            } else {
                clearTimeout(call.timer);
                this.#calls.delete(id);
                this.#engine.call(call.op, call.data).then(call.resolve);
            }
        }
        this.#post({ t: "leader", tab: this.#tab });
        if (this.#bus) {
            this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
        }
    }

    #onEngineState(state) {
        const session = state.epoch !== undefined ? this.#tab + ":" + state.epoch : this.#state.session;
        const next = { ...this.#state, ...state, session };
        delete next.epoch;
        this.#post({ t: "state", tab: this.#tab, state: next });
        this.#setState(next);
    }

    #onBus(message) {
        if (this.#engine) {
            this.#onBusAsLeader(message);
        } else {
            this.#onBusAsFollower(message);
        }
    }

    #onBusAsLeader(message) {
        switch (message.t) {
            case "hello":
                this.#post({ t: "leader", tab: this.#tab });
                this.#post({ t: "state", tab: this.#tab, state: this.#state });
                break;
            case "call":
                // Received: from now on the caller must not send it again to another leader.
                this.#post({ t: "ack", to: message.tab, id: message.id });
                this.#engine.call(message.op, message.data)
                    .then(reply => this.#post({ t: "reply", to: message.tab, id: message.id, reply }));
                break;
            case "sub":
                this.#remote.set(message.id, { tab: message.tab, channel: message.channel });
                this.#engine.subscribe(message.channel, message.id, (data, mine) =>
                    this.#post({ t: "event", to: message.tab, id: message.id, data, mine }));
                break;
            case "resub":
                this.#engine.resubscribe(message.channel, message.id);
                break;
            case "unsub":
                this.#remote.delete(message.id);
                this.#engine.unsubscribe(message.channel, message.id);
                break;
            case "bye":
                this.#forgetTab(message.tab);
                break;
            default:
                break;
        }
    }

    #onBusAsFollower(message) {
        switch (message.t) {
            case "leader":
                if (message.tab !== this.#leader) {
                    this.#follow(message.tab);
                }
                break;
            case "state":
                if (message.tab === this.#leader) {
                    this.#setState(message.state);
                }
                break;
            case "ack":
                if (message.to === this.#tab && this.#calls.has(message.id)) {
                    this.#calls.get(message.id).received = true;
                }
                break;
            case "reply":
                if (message.to === this.#tab) {
                    this.#settle(message.id, message.reply);
                }
                break;
            case "event":
                if (message.to === this.#tab) {
                    this.#subs.get(message.id)?.deliver(message.data, message.mine);
                }
                break;
            default:
                break;
        }
    }

    // A new leader: it knows nothing of this tab, so send it every subscription and the calls the old one never received.
    #follow(leader) {
        this.#leader = leader;
        this.#setState({ ...this.#state, status: this.#state.session ? "reconnecting" : "connecting" });
        for (const [id, sub] of this.#subs) {
            this.#post({ t: "sub", tab: this.#tab, id, channel: sub.channel });
        }
        for (const [id, call] of this.#calls) {
            if (call.received) {
                this.#settle(id, { successful: false, data: { error: "unavailable", message: "the leading tab went away" } });
            } else {
                this.#send(id, call);
            }
        }
    }

    #send(id, call) {
        if (this.#leader) {
            call.sentTo = this.#leader;
            this.#post({ t: "call", tab: this.#tab, id, op: call.op, data: call.data });
        }
    }

    #settle(id, reply) {
        const call = this.#calls.get(id);
        if (call) {
            clearTimeout(call.timer);
            this.#calls.delete(id);
            call.resolve(reply);
        }
    }

    // Tabs that closed without a "bye" (crashed, killed) still hold subscriptions here: drop those whose tab lock is gone.
    async #sweep() {
        const held = new Set((await navigator.locks.query()).held.map(lock => lock.name));
        const tabs = new Set([...this.#remote.values()].map(sub => sub.tab));
        for (const tab of tabs) {
            if (!held.has("gridpush-tab:" + this.key + ":" + tab)) {
                this.#forgetTab(tab);
            }
        }
    }

    #forgetTab(tab) {
        for (const [id, sub] of this.#remote) {
            if (sub.tab === tab) {
                this.#remote.delete(id);
                this.#engine.unsubscribe(sub.channel, id);
            }
        }
    }

    #setState(state) {
        const previous = this.#state;
        this.#state = state;
        for (const listener of this.#listeners) {
            listener(state, previous);
        }
    }

    #post(message) {
        this.#bus?.postMessage(message);
    }

    #close() {
        forget(this);
        clearInterval(this.#sweeper);
        this.#engine?.close();
        this.#engine = null;
        this.#post({ t: "bye", tab: this.#tab });
        this.#bus?.close();
        this.#release?.();
        this.#releaseTab?.();
    }
}
