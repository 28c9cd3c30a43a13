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
import { CometD, AckExtension } from "./cometd/cometd.js";
import { VersionGate } from "./version-gate.js";

const CALL_TIMEOUT_MS = 10000;
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
 * (handshake ext.auth.token), `transport` ("websocket" or "long-polling" to force one), `logLevel`.
 */
export class Cache {
    #name;
    #cometd;
    #watches = new Map();   // channel -> { subscription, gate, callbacks:Set, wildcard }
    #callbacks = new Set(); // registerCallback
    #statusListeners = new Set();
    #status = "connecting";
    #handshakes = 0;
    #closed = false;

    constructor(name, url, options = {}) {
        this.#name = name;
        const target = url || new URL("/cometd", globalThis.location?.href).href;
        const cometd = new CometD();
        if (options.transport === "long-polling") {
            cometd.unregisterTransport("websocket");
        } else if (options.transport === "websocket") {
            cometd.unregisterTransport("long-polling");
        }
        cometd.unregisterTransport("callback-polling");
        cometd.registerExtension("ack", new AckExtension());
        cometd.configure({
            url: target,
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
        this.ready = new Promise((resolve, reject) => {
            cometd.addListener("/meta/handshake", message => this.#onHandshake(message, resolve, reject));
        });
        cometd.addListener("/meta/connect", message => {
            if (this.#closed) {
                return;
            }
            this.#setStatus(message.successful ? "connected" : "reconnecting");
        });
        cometd.addListener("/meta/disconnect", () => this.#setStatus("disconnected"));
        const handshakeProps = options.token ? { ext: { auth: { token: options.token } } } : undefined;
        cometd.handshake(handshakeProps);
    }

    get name() {
        return this.#name;
    }

    /** "websocket" or "long-polling": the transport in use. */
    get transport() {
        return this.#cometd.getTransport()?.type;
    }

    get status() {
        return this.#status;
    }

    /** The underlying CometD client. */
    get cometd() {
        return this.#cometd;
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
        this.#closed = true;
        this.#cometd.disconnect();
        this.#setStatus("disconnected");
    }

    #onHandshake(message, resolve, reject) {
        if (!message.successful) {
            const error = String(message.error || "");
            if (error.startsWith("403") || message.advice?.reconnect === "none") {
                this.#setStatus("disconnected");
                reject(new GridpushError("forbidden", "handshake refused: " + error));
            } else {
                this.#setStatus("reconnecting");
            }
            return;
        }
        // Subscriptions are sent only once handshaken: a subscription queued before a handshake that
        // fails (a WebSocket the proxy refuses) would be lost with it. A successful handshake after the
        // first is a new server session (expired, or a restarted gateway) that knows none of our
        // subscriptions, so subscribe again, which re-syncs from snapshots.
        const again = this.#handshakes++ > 0;
        this.#cometd.batch(() => {
            for (const [channel, watch] of this.#watches) {
                if (again) {
                    watch.gate.resync();
                    watch.resyncing = true;
                }
                this.#subscribe(channel, watch);
            }
        });
        resolve(this);
    }

    #watch(channel, callback, wildcard) {
        let watch = this.#watches.get(channel);
        if (watch) {
            watch.callbacks.add(callback);
            return;
        }
        watch = { gate: new VersionGate(), callbacks: new Set([callback]), wildcard, resyncing: false };
        this.#watches.set(channel, watch);
        if (this.#handshakes > 0) {
            this.#subscribe(channel, watch);
        }
    }

    #subscribe(channel, watch) {
        // One batch, so one request: sent apart, the unsubscription could overtake the subscription over
        // long polling and leave the session unsubscribed on the gateway.
        this.#cometd.batch(() => {
            if (watch.subscription) {
                this.#cometd.unsubscribe(watch.subscription);
            }
            watch.generation = (watch.generation || 0) + 1;
            watch.subscription = this.#cometd.subscribe(channel, message => this.#onEvent(watch, message.data));
        });
    }

    #unwatch(channel) {
        const watch = this.#watches.get(channel);
        if (watch) {
            this.#watches.delete(channel);
            if (watch.subscription) {
                this.#cometd.unsubscribe(watch.subscription);
            }
        }
    }

    #onEvent(watch, event) {
        if (event && event.type === "resync") {
            // The gateway could not deliver something (a dropped backlog, a failed snapshot): subscribe
            // again, which brings fresh snapshots. Resyncs in a row (a cache that cannot serve its snapshot,
            // for example in a minority partition) back off with jitter, up to 10 s, instead of looping.
            watch.gate.resync();
            watch.resyncing = true;
            const delay = watch.resyncsInARow > 0 ? Math.min(10000, 500 * watch.resyncsInARow) * (0.5 + Math.random() / 2) : 0;
            watch.resyncsInARow = (watch.resyncsInARow || 0) + 1;
            setTimeout(() => {
                for (const [channel, w] of this.#watches) {
                    if (w === watch) {
                        this.#subscribe(channel, watch);
                    }
                }
            }, delay);
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
        return new Promise((resolve, reject) => {
            this.#cometd.remoteCall("cache/" + op, { cache: this.#name, ...request }, CALL_TIMEOUT_MS, reply => {
                if (reply.successful) {
                    resolve(reply.data);
                } else if (reply.data && reply.data.error) {
                    reject(new GridpushError(reply.data.error, reply.data.message));
                } else {
                    reject(new GridpushError("unavailable", "cache/" + op + " failed: " + (reply.error || reply.failure?.reason || "no reply")));
                }
            });
        });
    }
}
