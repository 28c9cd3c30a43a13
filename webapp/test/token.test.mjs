// The browser client's tokenProvider (gridpush.js + link.js), under Node.js with cometd-nodejs-client,
// against a real gateway that takes HS256 tokens and allows no clock skew. Run by the Java test
// JavaScriptTokenProviderTest, which sets:
//   GRIDPUSH_URL         the Bayeux URL, e.g. http://127.0.0.1:PORT/cometd
//   GRIDPUSH_TRANSPORT   "websocket" or "long-polling"
//   GRIDPUSH_JWT_SECRET  the gateway's security.jwt.hmacSecret
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { adapt } from "cometd-nodejs-client";

adapt();

// gridpush.js imports the CometD client from ./cometd/, as the gateway serves it: lay the files out so.
const here = fileURLToPath(new URL(".", import.meta.url));
const served = mkdtempSync(join(tmpdir(), "gridpush-js-"));
cpSync(join(here, "../js"), served, { recursive: true });
const cometdDir = join(here, "../node_modules/cometd");
for (const file of readdirSync(cometdDir).filter(name => name.endsWith(".js"))) {
    cpSync(join(cometdDir, file), join(served, "cometd", file));
}
const { Cache } = await import(pathToFileURL(join(served, "gridpush.js")).href);

const url = process.env.GRIDPUSH_URL;
const transport = process.env.GRIDPUSH_TRANSPORT;
const secret = process.env.GRIDPUSH_JWT_SECRET;
const WAIT_MS = 20000;
const caches = [];

// Caches with a tokenProvider share one link per URL and transport: each test closes its own, so the next
// gets a link (and a provider) of its own.
afterEach(() => caches.splice(0).forEach(cache => cache.close()));

function base64url(text) {
    return Buffer.from(text).toString("base64url");
}

/** An HS256 JWT for `sub` that expires in `ms` (exp has whole seconds). */
function token(sub, ms) {
    const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const claims = base64url(JSON.stringify({
        sub, exp: Math.floor((Date.now() + ms) / 1000), gridpush: { read: ["default"], write: ["default"] },
    }));
    const signature = createHmac("sha256", secret).update(header + "." + claims).digest("base64url");
    return header + "." + claims + "." + signature;
}

function expiry(jwt) {
    return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()).exp * 1000;
}

function open(options) {
    const cache = new Cache("default", url, { transport, ...options });
    caches.push(cache);
    return cache;
}

/** The values a notification delivers, with a bounded wait for the next one matching `match`. */
function notifications(cache, key) {
    const seen = [];
    let wake = null;
    cache.notify(key, (k, value, event) => {
        seen.push({ value, event });
        wake?.();
    });
    return {
        seen,
        async until(match) {
            const deadline = Date.now() + WAIT_MS;
            for (;;) {
                const found = seen.findIndex(match);
                if (found >= 0) {
                    return seen.splice(0, found + 1).pop();
                }
                assert.ok(Date.now() < deadline, "nothing matching within " + WAIT_MS + " ms; seen " + JSON.stringify(seen));
                await new Promise(resolve => {
                    wake = resolve;
                    setTimeout(resolve, 100);
                });
            }
        },
    };
}

function statuses(cache) {
    const heard = [];
    cache.onStatus(status => heard.push(status));
    return {
        heard,
        async until(status) {
            const deadline = Date.now() + WAIT_MS;
            while (!heard.includes(status)) {
                assert.ok(Date.now() < deadline, "no " + status + " within " + WAIT_MS + " ms; heard " + heard);
                await new Promise(resolve => setTimeout(resolve, 50));
            }
            heard.splice(0, heard.indexOf(status) + 1);
        },
    };
}

test("an async tokenProvider is asked at handshake and before expiry; the session and its notification go on", async () => {
    const issued = [];
    const cache = open({ tokenProvider: async () => {
        const jwt = token("nia", 4000);
        issued.push(jwt);
        return jwt;
    } });
    await cache.ready;
    const session = cache.cometd.getClientId();
    const key = "js-refreshed-" + transport;
    const watch = notifications(cache, key);
    await watch.until(n => n.event.type === "snapshot");
    const deadline = Date.now() + WAIT_MS;
    for (let n = 1; issued.length < 3 || Date.now() < expiry(issued[0]) + 1000; ++n) {
        assert.ok(Date.now() < deadline, "the provider was asked " + issued.length + " times");
        const { version } = await cache.put(key, n);
        const change = await watch.until(() => true);
        assert.deepEqual([change.value, change.event.version, change.event.type], [n, version, n === 1 ? "created" : "modified"]);
        await new Promise(resolve => setTimeout(resolve, 200));
        assert.deepEqual(watch.seen, [], "each change once, no re-sync");
    }
    assert.equal(cache.cometd.getClientId(), session, "one session all along");
});

test("a session whose token expires re-authenticates with a fresh token and the notification goes on", async () => {
    // Renews its token only once it has expired, so the in-band refresh has nothing newer to send.
    let current;
    let minted = 0;
    const cache = open({ tokenProvider: () => {
        if (!current || Date.now() >= expiry(current)) {
            current = token("ola", 3000);
            ++minted;
        }
        return current;
    } });
    await cache.ready;
    const status = statuses(cache);
    const session = cache.cometd.getClientId();
    const key = "js-expiring-" + transport;
    const watch = notifications(cache, key);
    await watch.until(n => n.event.type === "snapshot");
    await cache.put(key, 1);
    await watch.until(n => n.value === 1);
    await status.until("reconnecting");
    await status.until("connected");
    assert.notEqual(cache.cometd.getClientId(), session, "a new session");
    assert.ok(minted >= 2, "a fresh token: " + minted);
    const { version } = await cache.put(key, 2);
    const change = await watch.until(n => n.event.version >= version);
    assert.deepEqual([change.value, change.event.version], [2, version]);
});

test("a fixed token that has expired is refused as such, and the cache stops", async () => {
    const cache = open({ token: token("pia", -5000) });
    await assert.rejects(cache.ready, error => error.code === "forbidden" && error.message.includes("403::token_expired"));
    assert.equal(cache.status, "disconnected");
});
