// The live board: every entry of one cache as a row, updated in place with a brief highlight.
import { Cache } from "./gridpush.js";

const params = new URLSearchParams(location.search);
const cacheName = params.get("cache") || "demo";
// ?share=false gives this tab a session of its own instead of the browser's shared one; ?gateway=URL
// uses a gateway other than the page's own (a page of another site).
const cache = new Cache(cacheName, params.get("gateway") || undefined, { transport: params.get("transport") || undefined, share: params.get("share") !== "false" });
const list = document.getElementById("entries");
const rows = new Map();
let updates = 0;
// Every applied change (not snapshots), newest last, bounded: lets tests check that nothing was lost.
const applied = [];

document.getElementById("cache-name").textContent = cacheName;

cache.onStatus(status => {
    const pill = document.getElementById("status");
    pill.textContent = status;
    pill.dataset.status = status;
    document.getElementById("transport").textContent = cache.transport || "–";
});

cache.notifyAll((key, value, event) => {
    if (key === undefined) {
        return; // snapshot-end
    }
    if (event.type !== "snapshot") {
        ++updates;
        applied.push({ key, type: event.type, version: event.version });
        if (applied.length > 10000) {
            applied.shift();
        }
    }
    if (value === undefined) {
        rows.get(key)?.remove();
        rows.delete(key);
    } else {
        render(key, value, event.version);
    }
    document.getElementById("count").textContent = String(rows.size);
    document.getElementById("empty").hidden = rows.size > 0;
});

setInterval(() => {
    document.getElementById("rate").textContent = String(updates);
    document.getElementById("transport").textContent = cache.transport || "–";
    updates = 0;
}, 1000);

function render(key, value, version) {
    let row = rows.get(key);
    if (!row) {
        row = document.createElement("li");
        row.dataset.key = key;
        row.innerHTML = '<span class="key"></span><span class="value"></span><span class="version"></span>';
        row.querySelector(".key").textContent = key;
        rows.set(key, row);
        const after = [...rows.keys()].sort().find(k => k > key);
        list.insertBefore(row, after === undefined ? null : rows.get(after));
    }
    row.dataset.version = String(version);
    row.dataset.value = JSON.stringify(value);
    const cell = row.querySelector(".value");
    cell.replaceChildren(describe(value));
    row.querySelector(".version").textContent = "v" + version;
    row.classList.add("flash");
    requestAnimationFrame(() => requestAnimationFrame(() => row.classList.remove("flash")));
}

function describe(value) {
    if (value && typeof value === "object" && "homeTeam" in value && "awayTeam" in value) {
        const span = document.createElement("span");
        span.className = "score";
        span.append(value.homeTeam + " ");
        const home = document.createElement("b");
        home.textContent = String(value.home);
        const away = document.createElement("b");
        away.textContent = String(value.away);
        span.append(home, " – ", away, " " + value.awayTeam);
        if (value.minute !== undefined) {
            const minute = document.createElement("span");
            minute.className = "minute";
            minute.textContent = value.minute + "′";
            span.append(minute);
        }
        return span;
    }
    if (typeof value === "string") {
        return document.createTextNode(value);
    }
    const code = document.createElement("code");
    code.textContent = JSON.stringify(value);
    return code;
}

const message = document.getElementById("message");
function say(text, error) {
    message.textContent = text;
    message.className = error ? "error" : "";
}

document.getElementById("editor").addEventListener("submit", async event => {
    event.preventDefault();
    const key = document.getElementById("key").value;
    const text = document.getElementById("value").value;
    let value;
    try {
        value = JSON.parse(text);
    } catch {
        value = text;
    }
    try {
        const result = await cache.put(key, value);
        say("Stored " + key + " at v" + result.version);
    } catch (e) {
        say((e.code || "error") + ": " + e.message, true);
    }
});

document.getElementById("remove").addEventListener("click", async () => {
    const key = document.getElementById("key").value;
    try {
        const result = await cache.remove(key);
        say(result.removed ? "Removed " + key : key + " was not there");
    } catch (e) {
        say((e.code || "error") + ": " + e.message, true);
    }
});

// For tests and the curious: the live state of the page.
window.gridpushDemo = { cache, rows, applied };
