// The wire contract, exercised with the official CometD JavaScript client under Node.js
// (cometd + cometd-nodejs-client), exactly as a third-party client would: raw remote calls and
// subscriptions, and its own implementation of the key encoding.
//
// Run by the Java test JavaScriptClientTest, which starts a gateway and sets:
//   GRIDPUSH_URL        the Bayeux URL, e.g. http://127.0.0.1:PORT/cometd
//   GRIDPUSH_TRANSPORT  "websocket" or "long-polling"
//   GRIDPUSH_VECTORS    path of the key vectors (src/protocol/vectors/protocol-vectors.json)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { adapt } from "cometd-nodejs-client";
import { CometD } from "cometd";

adapt();

const url = process.env.GRIDPUSH_URL;
const transport = process.env.GRIDPUSH_TRANSPORT;
const vectors = JSON.parse(readFileSync(process.env.GRIDPUSH_VECTORS, "utf8"));
const WAIT_MS = 15000;
const clients = [];

function literal(byte) {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9\-._~!()@+]/.test(c);
}

function encodeKey(key) {
    let segment = "";
    for (const byte of new TextEncoder().encode(key)) {
        segment += literal(byte) ? String.fromCharCode(byte) : "$" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
    return segment;
}

function connect() {
    const cometd = new CometD();
    if (transport === "long-polling") {
        cometd.unregisterTransport("websocket");
    }
    // The client refuses to send Bayeux messages over 8 KiB by default; the gateway takes up to limits.messageBytes.
    cometd.configure({ url, logLevel: "warn", maxSendBayeuxMessageSize: 262144 });
    clients.push(cometd);
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no handshake")), WAIT_MS);
        cometd.handshake(reply => {
            clearTimeout(timer);
            reply.successful ? resolve(cometd) : reject(new Error(JSON.stringify(reply)));
        });
    });
}

function call(cometd, op, data) {
    return new Promise(resolve => cometd.remoteCall("cache/" + op, data, WAIT_MS, resolve));
}

async function ok(cometd, op, data) {
    const reply = await call(cometd, op, data);
    assert.equal(reply.successful, true, op + " failed: " + JSON.stringify({ data: reply.data, error: reply.error }));
    return reply.data;
}

async function fails(cometd, op, data, code) {
    const reply = await call(cometd, op, data);
    const shown = JSON.stringify({ successful: reply.successful, data: reply.data, error: reply.error });
    assert.equal(reply.successful, false, op + " should fail: " + shown);
    assert.equal(reply.data?.error, code, op + ": " + shown);
    assert.equal(typeof reply.data.message, "string");
}

/** Subscribes and returns a queue of event data with a bounded next(). */
function watch(cometd, channel) {
    const events = [];
    let waiter = null;
    return new Promise((resolve, reject) => {
        cometd.subscribe(channel, message => {
            events.push(message.data);
            if (waiter) {
                const w = waiter;
                waiter = null;
                w();
            }
        }, reply => {
            if (!reply.successful) {
                reject(Object.assign(new Error(reply.error), { reply }));
                return;
            }
            resolve({
                events,
                async next() {
                    const deadline = Date.now() + WAIT_MS;
                    while (events.length === 0) {
                        if (Date.now() > deadline) {
                            throw new Error("no event on " + channel);
                        }
                        await new Promise(r => {
                            waiter = r;
                            setTimeout(r, 200);
                        });
                    }
                    return events.shift();
                }
            });
        });
    });
}

function subscribeReply(cometd, channel) {
    return new Promise(resolve => cometd.subscribe(channel, () => {}, resolve));
}

let cometd;
before(async () => {
    cometd = await connect();
});

after(async () => {
    await Promise.all(clients.map(c => new Promise(resolve => {
        c.disconnect(resolve);
        setTimeout(resolve, 2000);
    })));
});

test("negotiates the requested transport", () => {
    assert.equal(cometd.getTransport().type, transport);
});

test("the key encoding matches the shared vectors", () => {
    for (const v of vectors.valid) {
        assert.equal(encodeKey(v.key), v.segment, v.key);
    }
});

test("every awkward key lives and dies, with growing versions", async () => {
    const cache = transport === "websocket" ? "default" : "demo";
    for (const { key, segment } of vectors.valid) {
        const sub = await watch(cometd, "/cache/" + cache + "/" + segment);
        const snapshot = await sub.next();
        assert.equal(snapshot.type, "snapshot");
        assert.equal(snapshot.found, false);
        assert.equal(snapshot.key, key);
        const created = await ok(cometd, "put", { cache, key, value: { n: 1 } });
        const e1 = await sub.next();
        assert.deepEqual([e1.type, e1.key, e1.version], ["created", key, created.version]);
        assert.deepEqual(e1.value, { n: 1 });
        const modified = await ok(cometd, "put", { cache, key, value: [1, "two", true] });
        assert.ok(modified.version > created.version);
        assert.deepEqual(modified.previous, { value: { n: 1 }, version: created.version });
        const got = await ok(cometd, "get", { cache, key });
        assert.deepEqual(got, { found: true, value: [1, "two", true], version: modified.version });
        assert.equal((await sub.next()).type, "modified");
        assert.deepEqual(await ok(cometd, "remove", { cache, key }), { removed: true });
        const removed = await sub.next();
        assert.equal(removed.type, "removed");
        assert.equal(removed.value, undefined);
        assert.ok(removed.version > modified.version);
        const again = await ok(cometd, "put", { cache, key, value: 3 });
        assert.ok(again.version > removed.version);
        assert.equal((await sub.next()).type, "created");
        assert.ok(Number.isSafeInteger(again.version));
    }
});

test("a wildcard subscription gets every entry, then snapshot-end once, then changes", async () => {
    for (const key of ["w1", "w2", "w3"]) {
        await ok(cometd, "put", { cache: "demo", key: "wild-" + transport + "-" + key, value: key });
    }
    const other = await connect();
    const sub = await watch(other, "/cache/demo/*");
    const keys = new Set();
    let event;
    while ((event = await sub.next()).type === "snapshot") {
        assert.equal(event.found, true);
        keys.add(event.key);
    }
    assert.equal(event.type, "snapshot-end");
    assert.equal(event.key, undefined);
    assert.equal(event.count, keys.size);
    assert.equal(event.truncated, false);
    for (const key of ["w1", "w2", "w3"]) {
        assert.ok(keys.has("wild-" + transport + "-" + key));
    }
    await ok(cometd, "put", { cache: "demo", key: "wild-" + transport + "-w4", value: 4 });
    const change = await sub.next();
    assert.deepEqual([change.type, change.key, change.value], ["created", "wild-" + transport + "-w4", 4]);
});

test("conditional writes, getAll and entries paging", async () => {
    const cache = "default";
    const key = "cond-" + transport;
    const first = await ok(cometd, "putIfAbsent", { cache, key, value: "a" });
    assert.equal(first.stored, true);
    const second = await ok(cometd, "putIfAbsent", { cache, key, value: "b" });
    assert.deepEqual(second, { stored: false, version: first.version });
    assert.deepEqual(await ok(cometd, "replace", { cache, key, value: "c", ifVersion: first.version - 1 }),
        { replaced: false, version: first.version });
    const replaced = await ok(cometd, "replace", { cache, key, value: "c", ifVersion: first.version });
    assert.equal(replaced.replaced, true);
    assert.deepEqual(await ok(cometd, "remove", { cache, key, ifVersion: first.version }), { removed: false });
    assert.deepEqual(await ok(cometd, "remove", { cache, key, ifVersion: replaced.version }), { removed: true });

    const all = await ok(cometd, "getAll", { cache, keys: ["ga-x-" + transport, key] });
    assert.deepEqual(all.entries.map(e => [e.key, e.found]), [["ga-x-" + transport, false], [key, false]]);

    for (let i = 0; i < 7; ++i) {
        await ok(cometd, "put", { cache, key: "pg-" + transport + "-" + i, value: i });
    }
    const seen = [];
    let after;
    do {
        const page = await ok(cometd, "entries", after ? { cache, after, limit: 3 } : { cache, limit: 3 });
        assert.ok(page.entries.length <= 3);
        seen.push(...page.entries.map(e => e.key).filter(k => k.startsWith("pg-" + transport)));
        after = page.next;
    } while (after);
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6].map(i => "pg-" + transport + "-" + i));
});

test("errors carry the contract's codes and write nothing", async () => {
    await fails(cometd, "put", { cache: "default", key: "e", value: null }, "bad_request");
    await fails(cometd, "put", { cache: "default", value: 1 }, "bad_request");
    await fails(cometd, "get", { cache: "default", key: 5 }, "bad_request");
    await fails(cometd, "frobnicate", { cache: "default", key: "e" }, "bad_request");
    await fails(cometd, "get", { cache: "nope", key: "e" }, "unknown_cache");
    await fails(cometd, "put", { cache: "default", key: "x".repeat(257), value: 1 }, "too_large");
    await fails(cometd, "put", { cache: "default", key: "e", value: "v".repeat(70000) }, "too_large");
    assert.deepEqual(await ok(cometd, "get", { cache: "default", key: "e" }), { found: false });
});

test("publishes on /cache/** are refused and subscriptions outside the contract are denied", async () => {
    const reply = await new Promise(resolve => cometd.publish("/cache/default/k", { type: "modified", value: 1 }, resolve));
    assert.equal(reply.successful, false);
    assert.equal(reply.error, "403::publish_denied");
    for (const channel of ["/**", "/cache/*", "/cache/**", "/cache/default/**", "/cache/nope/k"]) {
        const r = await subscribeReply(cometd, channel);
        assert.equal(r.successful, false, channel);
        assert.equal(r.error, "403::subscribe_denied", channel);
    }
    for (const channel of ["/cache/default/$2a", "/cache/default/a$"]) {
        const r = await subscribeReply(cometd, channel);
        assert.equal(r.error, "400::bad_channel", channel);
    }
});
