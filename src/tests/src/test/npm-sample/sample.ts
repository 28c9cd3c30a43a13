// A TypeScript app on the gridpush-client package: NpmPackageTest type-checks it (tsc, strict), bundles it
// with esbuild and runs the bundle against a real gateway (run.mjs). The @ts-expect-error lines are
// misuses the declarations must refuse: if one type-checks, tsc fails on the unused directive.
import { Cache, GridpushError, keySegment, VersionGate } from "gridpush-client";
import type { CacheEvent, ErrorCode, KeyEvent, Status, TransportType } from "gridpush-client";

interface Score {
    home: number;
    away: number;
}

/** What one round trip saw, printed by run.mjs for the test to check. */
export interface Report {
    transport: TransportType | undefined;
    segment: string;
    put: number;
    pushed: Score;
    read: Score | undefined;
    notified: string[];
    statuses: Status[];
    error: ErrorCode | "none";
}

const WAIT_MS = 15000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
    return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("no " + what)), WAIT_MS))]);
}

/** Watches a key, writes it, sees the change pushed back, reads it, and fails on purpose on a cache that does not exist. */
export async function roundTrip(url: string, transport: TransportType, score: Score): Promise<Report> {
    const key = "npm-sample:" + transport;
    const scores = new Cache<Score>("default", url, { transport, share: false });
    const statuses: Status[] = [];
    scores.onStatus(status => statuses.push(status));
    await within(scores.ready, "handshake");

    const notified: string[] = [];
    let snapshotted!: () => void;
    const snapshot = new Promise<void>(resolve => snapshotted = resolve);
    const pushed = new Promise<Score>(resolve => scores.notify(key, (changed: string, value: Score | undefined, event: KeyEvent<Score>) => {
        notified.push(event.type);
        if (event.type === "snapshot") {
            snapshotted();
        } else if (event.type === "created" || event.type === "modified") {
            resolve(event.value);
        }
        // @ts-expect-error a key subscription gets no snapshot-end
        if (event.type === "snapshot-end") {
            notified.push("impossible");
        }
    }));
    // Written once subscribed, the value comes back as a change rather than in the snapshot.
    await within(snapshot, "snapshot of " + key);
    const written = await scores.put(key, score, { lifespanMs: 60000 });
    const seen = await within(pushed, "push of " + key);
    const read = await scores.get(key);

    let error: ErrorCode | "none" = "none";
    const missing = new Cache("no-such-cache", url, { transport, share: false });
    try {
        await missing.get(key);
    } catch (failure) {
        if (failure instanceof GridpushError) {
            error = failure.code;
        }
    }
    const report = { transport: scores.transport, segment: keySegment(key), put: written.version, pushed: seen, read: read.value, notified, statuses, error };
    missing.close();
    scores.close();
    return report;
}

/** Misuses that must not type-check. */
export function misuses(scores: Cache<Score>, everything: Cache): void {
    // @ts-expect-error keys are strings
    scores.get(42);
    // @ts-expect-error the value must be a Score
    scores.put("k", { home: "two", away: 1 });
    // @ts-expect-error ifVersion is a number
    scores.replace("k", { home: 1, away: 0 }, "7");
    // @ts-expect-error not a protocol error code
    new GridpushError("not_found");
    // @ts-expect-error no such transport
    new Cache("scores", null, { transport: "callback-polling" });
    // @ts-expect-error not a status
    scores.onStatus((status: "online") => status);
    everything.notifyAll((key, value, event: CacheEvent<unknown>) => {
        // @ts-expect-error not an event type
        if (event.type === "changed") {
            return;
        }
        if (event.type === "snapshot-end") {
            // @ts-expect-error snapshot-end has no key
            event.key;
        }
    });
    // @ts-expect-error admit needs an event with a type
    new VersionGate().admit({ key: "k", version: 1 });
}
