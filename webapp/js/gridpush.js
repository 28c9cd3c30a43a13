// gridpush browser client: an ES module on the official CometD JavaScript client, served by the
// gateway next to the CometD modules (./cometd/), so a page needs nothing but the gateway's URL.
//
//   import { Cache } from "/js/gridpush.js";
//   const cache = new Cache("scores");            // same origin; or new Cache("scores", "https://host/cometd", { token })
//   await cache.ready;
//   cache.notify("match-1", (key, value, event) => render(key, value));
//   await cache.put("match-1", { home: 2, away: 1 });
//
// The version rule is applied per key, so a callback never goes backwards; after a reconnect or a
// re-handshake every notification is re-subscribed and re-synced from snapshots by itself.
import { linkFor } from "./link.js";
import { VersionGate } from "./version-gate.js";

// Re-exported for the tests that import it from here.
export { VersionGate };

// Entries per page when completing a truncated snapshot: at most 100 values of up to 64 KiB per reply.
const PAGE = 100;
// Encodes a key as one channel segment, as in the protocol's "Keys in channel names".
const LITERAL = /[A-Za-z0-9\-._~!()@+]/;

export function keySegment(key) {
    let segment = "";
    for (const byte of new TextEncoder().encode(key)) {
        const c = String.fromCharCode(byte);
        segment += byte < 0x80 && LITERAL.test(c) ? c : "$" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
    return segment;
}

/** An operation that failed: `code` is the protocol's error code ("bad_request", "forbidden", ...). */
export class GridpushError extends Error {
    constructor(code, message) {
        super(message || code);
        this.name = "GridpushError";
        this.code = code;
    }
}

/**
 * One cache of a gridpush gateway. `url` defaults to the page's own `/cometd`. Options: `token`
 * (handshake ext.auth.token), `tokenProvider` (`() => string | Promise<string>`, instead of `token`: asked
 * before the first handshake, at every re-handshake, a little before the token's exp, when a fresh token is
 * sent in band and the session goes on, and once after a handshake refused as 403::token_expired),
 * `transport` ("websocket" or "long-polling" to force one), `logLevel`, `share` (false: a session of this
 * page's own instead of the browser's shared one).
 *
 * Every Cache of a page with the same url, token and transport shares one CometD client, and the tabs
 * of the browser share one Bayeux session through the tab that leads (see link.js).
 */
export class Cache {
    #name;
    #link;
    #watches = new Map();   // channel -> { sid, gate, callbacks:Set, wildcard, resyncing }
    #callbacks = new Set(); // registerCallback
    #statusListeners = new Set();
    #status = "connecting";
    #session = null;
    #closed = false;
    #onLinkState = (state, previous) => this.#onState(state, previous);

    constructor(name, url, options = {}) {
        this.#name = name;
        const target = url || new URL("/cometd", globalThis.location?.href).href;
        this.#link = linkFor(target, options);
        this.ready = new Promise((resolve, reject) => {
            this.#resolveReady = resolve;
            this.#rejectReady = reject;
        });
        this.#link.onState(this.#onLinkState);
        this.#onState(this.#link.state, undefined);
    }

    #resolveReady;
    #rejectReady;

    get name() {
        return this.#name;
    }

    /** "websocket" or "long-polling": the transport of the shared session. */
    get transport() {
        return this.#link.state.transport;
    }

    get status() {
        return this.#status;
    }

    /** The underlying CometD client, in the tab that runs it (undefined in the other tabs). */
    get cometd() {
        return this.#link.cometd;
    }

    get(key) {
        return this.#call("get", { key });
    }

    getAll(keys) {
        return this.#call("getAll", { keys }).then(data => data.entries);
    }

    put(key, value, options = {}) {
        return this.#call("put", { key, value, ...options });
    }

    putIfAbsent(key, value, options = {}) {
        return this.#call("putIfAbsent", { key, value, ...options });
    }

    replace(key, value, ifVersion) {
        return this.#call("replace", { key, value, ifVersion });
    }

    remove(key, ifVersion) {
        return this.#call("remove", ifVersion === undefined ? { key } : { key, ifVersion });
    }

    /** One page: `{entries, next}`; pass `next` back as `after`. */
    entries(after, limit) {
        const request = {};
        if (after !== undefined && after !== null) {
            request.after = after;
        }
        if (limit !== undefined) {
            request.limit = limit;
        }
        return this.#call("entries", request);
    }

    /** Calls back `(key, value, event)` with the key's snapshot, then every change; `value` is undefined when absent. */
    notify(key, callback) {
        this.#watch("/cache/" + this.#name + "/" + keySegment(key), callback, false);
    }

    /** The same for every key of the cache, through the wildcard channel. */
    notifyAll(callback) {
        this.#watch("/cache/" + this.#name + "/*", callback, true);
    }

    unnotify(key) {
        this.#unwatch("/cache/" + this.#name + "/" + keySegment(key));
    }

    unnotifyAll() {
        this.#unwatch("/cache/" + this.#name + "/*");
    }

    /** The old API's single callback `(key, value)`, called for every notified key. */
    registerCallback(callback) {
        this.#callbacks.add(callback);
    }

    /** `callback(status)` with "connecting" | "connected" | "reconnecting" | "disconnected". */
    onStatus(callback) {
        this.#statusListeners.add(callback);
        callback(this.#status);
    }

    close() {
        if (this.#closed) {
            return;
        }
        for (const channel of [...this.#watches.keys()]) {
            this.#unwatch(channel);
        }
        this.#setStatus("disconnected");
        this.#closed = true;
        this.#link.offState(this.#onLinkState);
    }

    #onState(state, previous) {
        if (this.#closed) {
            return;
        }
        if (state.denied) {
            this.#setStatus("disconnected");
            this.#rejectReady(new GridpushError("forbidden", "handshake refused: " + state.denied));
            return;
        }
        if (state.session && state.session !== this.#session) {
            // A new server session (expired, a restarted gateway, another tab now leads) knows none of our
            // subscriptions: the link subscribes them again, which re-syncs from snapshots. What was applied
            // before may predate the re-sync.
            if (this.#session !== null) {
                for (const watch of this.#watches.values()) {
                    watch.gate.resync();
                    watch.resyncing = true;
                    watch.generation = (watch.generation || 0) + 1;
                }
            }
            this.#session = state.session;
            this.#resolveReady(this);
        }
        this.#setStatus(state.status);
    }

    #watch(channel, callback, wildcard) {
        let watch = this.#watches.get(channel);
        if (watch) {
            watch.callbacks.add(callback);
            return;
        }
        watch = { gate: new VersionGate(), callbacks: new Set([callback]), wildcard, resyncing: false };
        this.#watches.set(channel, watch);
        watch.sid = this.#link.subscribe(channel, (event, mine) => this.#onEvent(watch, event, mine));
    }

    #unwatch(channel) {
        const watch = this.#watches.get(channel);
        if (watch) {
            this.#watches.delete(channel);
            this.#link.unsubscribe(watch.sid);
        }
    }

    // `mine`, on a snapshot-end: whether it ends the snapshot of this watch's own (re)subscription, rather
    // than that of another subscriber of the shared session (whose snapshots pass the version rule here).
    #onEvent(watch, event, mine) {
        if (event && event.type === "snapshot-end" && mine !== true) {
            return;
        }
        if (event && event.type === "resync") {
            // The gateway could not deliver something (a dropped backlog, a failed snapshot): subscribe
            // again, which brings fresh snapshots. Resyncs in a row (a cache that cannot serve its snapshot,
            // for example in a minority partition) back off with jitter, up to 10 s, instead of looping.
            watch.gate.resync();
            watch.resyncing = true;
            const delay = watch.resyncsInARow > 0 ? Math.min(10000, 500 * watch.resyncsInARow) * (0.5 + Math.random() / 2) : 0;
            watch.resyncsInARow = (watch.resyncsInARow || 0) + 1;
            watch.generation = (watch.generation || 0) + 1;
            // One re-subscription at a time serves every resync until it runs: a backlog trimmed several times
            // holds several resyncs, and each one restarting the re-sync kept it from ever completing.
            if (!watch.resubscribePending) {
                watch.resubscribePending = true;
                setTimeout(() => {
                    watch.resubscribePending = false;
                    this.#link.resubscribe(watch.sid);
                }, delay);
            }
            return;
        }
        if (event && (event.type === "snapshot" || event.type === "snapshot-end")) {
            watch.resyncsInARow = 0;
        }
        if (!event || !watch.gate.admit(event)) {
            return;
        }
        if (event.type === "snapshot-end") {
            if (event.truncated) {
                this.#completeSnapshot(watch, event, watch.generation);
            } else {
                this.#endSnapshot(watch, event);
            }
            return;
        }
        const present = event.type === "snapshot" ? event.found : !(event.type === "removed" || event.type === "expired");
        this.#deliver(watch, event.key, present ? event.value : undefined, event);
    }

    // A wildcard snapshot stops at the gateway's limits.snapshotEntries; after a resync the keys beyond it
    // would stay stale. So the rest is read page by page with `entries`: each entry passes the version rule
    // like a snapshot, and changes arriving meanwhile keep winning. snapshot-end comes once the view is
    // complete, with the number of entries listed and `truncated: false`.
    async #completeSnapshot(watch, end, generation) {
        watch.gate.startListing();
        let count = 0;
        let after;
        try {
            do {
                const page = await this.entries(after, PAGE);
                if (watch.generation !== generation || this.#closed) {
                    return;
                }
                for (const entry of page.entries) {
                    count++;
                    const event = { cache: this.#name, key: entry.key, type: "snapshot", found: true, value: entry.value, version: entry.version };
                    if (watch.gate.admit(event)) {
                        this.#deliver(watch, entry.key, entry.value, event);
                    }
                }
                after = page.next;
            } while (after);
        } catch (failure) {
            // Not complete: pass on what the gateway said; keys beyond its snapshot may be stale.
            this.#endSnapshot(watch, end);
            return;
        }
        this.#endSnapshot(watch, { ...end, count, truncated: false });
    }

    #endSnapshot(watch, end) {
        // After a complete re-sync, keys we showed that it did not mention are gone.
        if (watch.resyncing && !end.truncated) {
            for (const key of watch.gate.vanished()) {
                this.#deliver(watch, key, undefined, { cache: this.#name, key, type: "removed", resync: true });
            }
        }
        watch.resyncing = false;
        for (const callback of watch.callbacks) {
            callback(undefined, undefined, end);
        }
    }

    #deliver(watch, key, value, event) {
        for (const callback of watch.callbacks) {
            callback(key, value, event);
        }
        for (const callback of this.#callbacks) {
            callback(key, value);
        }
    }

    #setStatus(status) {
        if (this.#closed && status !== "disconnected") {
            return;
        }
        if (status !== this.#status) {
            this.#status = status;
            for (const listener of this.#statusListeners) {
                listener(status);
            }
        }
    }

    #call(op, request) {
        return this.#link.call(op, { cache: this.#name, ...request }).then(reply => {
            if (reply.successful) {
                return reply.data;
            }
            if (reply.data && reply.data.error) {
                throw new GridpushError(reply.data.error, reply.data.message);
            }
            throw new GridpushError("unavailable", "cache/" + op + " failed: " + (reply.error || "no reply"));
        });
    }
}
