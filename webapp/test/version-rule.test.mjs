// The version-rule vectors (src/protocol/vectors/version-rule-vectors.json) run by the browser client's
// VersionGate, the same cases the Java client runs in VersionRuleVectorsTest: what a user sees after
// each sequence of events. Runs without a gateway: node --test test/version-rule.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// gridpush.js imports the CometD client from ./cometd/ as the gateway serves it; here it comes from node_modules.
const { VersionGate } = await import("../js/version-gate.js");
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL("../../src/protocol/vectors/version-rule-vectors.json", import.meta.url)), "utf8"));

for (const vector of vectors.cases) {
    test(vector.name, () => {
        const gate = new VersionGate();
        const shows = new Map();
        const admitted = [];
        for (const step of vector.steps) {
            if (step.resync) {
                gate.resync();
            } else if (step.syncEnd) {
                for (const key of gate.vanished()) {
                    shows.delete(key);
                }
            } else {
                const event = step.event;
                const applied = gate.admit(event);
                admitted.push(applied);
                const present = event.type === "snapshot" ? event.found : !(event.type === "removed" || event.type === "expired");
                if (applied && present) {
                    shows.set(event.key, event.value);
                } else if (applied) {
                    shows.delete(event.key);
                }
            }
        }
        assert.deepEqual(admitted, vector.admitted, "admitted");
        assert.deepEqual(Object.fromEntries(shows), vector.shows, "shown");
    });
}
