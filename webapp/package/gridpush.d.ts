// Declarations of gridpush.js, the browser client of the gridpush gateway, written by hand after the
// code and README's "Protocol" section.
import type { CometD, LogLevel } from "cometd";
import { VersionGate } from "./version-gate.js";

export { VersionGate };
export type { VersionedEvent } from "./version-gate.js";

/** A JSON value. Cache values are any JSON value but null at the top. */
export type Json = string | number | boolean | null | Json[] | { [field: string]: Json };

/** The protocol's error codes (README, "Errors"). */
export type ErrorCode = "bad_request" | "unknown_cache" | "forbidden" | "too_large" | "rate_limited" | "unavailable" | "internal";

/** The event types a callback sees (the protocol's `resync` is handled inside the client). */
export type EventType = "created" | "modified" | "removed" | "expired" | "snapshot" | "snapshot-end";

/** The connection state of a Cache. */
export type Status = "connecting" | "connected" | "reconnecting" | "disconnected";

export type TransportType = "websocket" | "long-polling";

/** An operation that failed; `code` is the protocol's error code. */
export class GridpushError extends Error {
    constructor(code: ErrorCode, message?: string);
    readonly name: "GridpushError";
    readonly code: ErrorCode;
}

/** Encodes a key as one channel segment (README, "Keys in channel names"): `user:42/name` is `user$3A42$2Fname`. */
export function keySegment(key: string): string;

export interface CacheOptions {
    /** Sent in the handshake as `ext.auth.token`. */
    token?: string;
    /** Forces one transport; by default WebSocket, then long polling. */
    transport?: TransportType;
    /** The CometD client's log level (default "warn"). */
    logLevel?: LogLevel;
    /** false: a session of this page's own instead of the one its tabs share (default true). */
    share?: boolean;
    /** The largest Bayeux message the client sends, in bytes (default 262144, the gateway's limits.messageBytes). */
    maxMessageBytes?: number;
}

/** A created or modified key. */
export interface ChangeEvent<V> {
    cache: string;
    key: string;
    type: "created" | "modified";
    value: V;
    version: number;
}

/**
 * A removed or expired key. A removal found by a complete re-sync (the key was not in it) has
 * `resync: true` and no version.
 */
export interface RemovalEvent {
    cache: string;
    key: string;
    type: "removed" | "expired";
    version?: number;
    resync?: true;
}

/** A key's state when subscribed; with `found: false`, `version` is the remove's if it was removed lately. */
export interface SnapshotEvent<V> {
    cache: string;
    key: string;
    type: "snapshot";
    found: boolean;
    value?: V;
    version?: number;
}

/** The end of a wildcard subscription's snapshots. */
export interface SnapshotEndEvent {
    cache: string;
    type: "snapshot-end";
    /** Snapshots sent. */
    count: number;
    /** Whether the gateway stopped at limits.snapshotEntries and the client could not list the rest. */
    truncated: boolean;
}

/** What `notify` delivers. */
export type KeyEvent<V> = ChangeEvent<V> | RemovalEvent | SnapshotEvent<V>;

/** What `notifyAll` delivers. */
export type CacheEvent<V> = KeyEvent<V> | SnapshotEndEvent;

/** `value` is undefined when the key is absent. */
export type KeyCallback<V> = (key: string, value: V | undefined, event: KeyEvent<V>) => void;

/** `key` and `value` are undefined on snapshot-end. */
export type CacheCallback<V> = (key: string | undefined, value: V | undefined, event: CacheEvent<V>) => void;

export interface GetResult<V> {
    found: boolean;
    value?: V;
    version?: number;
}

export interface GetAllEntry<V> extends GetResult<V> {
    key: string;
}

export interface PutOptions {
    /** Positive: the entry expires this many milliseconds after the write. */
    lifespanMs?: number;
    /** Positive: the entry expires after this many milliseconds unread. */
    maxIdleMs?: number;
}

export interface PutResult<V> {
    version: number;
    previous?: { value: V; version: number };
}

export interface PutIfAbsentResult {
    /** Whether this call stored the value; `version` is of the entry now present. */
    stored: boolean;
    version: number;
}

export interface ReplaceResult {
    /** Whether this call replaced the value; `version` is of the entry now present, if any. */
    replaced: boolean;
    version?: number;
}

export interface RemoveResult {
    removed: boolean;
}

export interface Entry<V> {
    key: string;
    value: V;
    version: number;
}

/** One page of `entries`: pass `next` back as `after`; absent on the last page. */
export interface EntriesPage<V> {
    entries: Entry<V>[];
    next?: string;
}

/**
 * One cache of a gridpush gateway. `V` is the type of its values (not checked at run time).
 * Every operation rejects with a GridpushError.
 */
export class Cache<V = Json> {
    /** `url` defaults to the page's own `/cometd` (required where there is no `location`, e.g. Node.js). */
    constructor(name: string, url?: string | null, options?: CacheOptions);

    /** Resolves once handshaken; rejects with a GridpushError "forbidden" when the gateway refuses the handshake. */
    readonly ready: Promise<this>;
    readonly name: string;
    /** The transport of the shared session; undefined until connected. */
    readonly transport: TransportType | undefined;
    readonly status: Status;
    /** The underlying CometD client, in the tab that runs it (undefined in the other tabs). */
    readonly cometd: CometD | undefined;

    get(key: string): Promise<GetResult<V>>;
    /** At most 1000 keys; the entries come in request order. */
    getAll(keys: string[]): Promise<GetAllEntry<V>[]>;
    put(key: string, value: V, options?: PutOptions): Promise<PutResult<V>>;
    putIfAbsent(key: string, value: V, options?: Pick<PutOptions, "lifespanMs">): Promise<PutIfAbsentResult>;
    replace(key: string, value: V, ifVersion: number): Promise<ReplaceResult>;
    remove(key: string, ifVersion?: number): Promise<RemoveResult>;
    /** One page in key order, `limit` from 1 to 1000 (default 100). */
    entries(after?: string | null, limit?: number): Promise<EntriesPage<V>>;

    /** The key's snapshot, then every change, in version order. */
    notify(key: string, callback: KeyCallback<V>): void;
    /** The same for every key of the cache, then snapshot-end once the snapshots are in. */
    notifyAll(callback: CacheCallback<V>): void;
    unnotify(key: string): void;
    unnotifyAll(): void;
    /** One callback for every key delivered to notify and notifyAll (the old API). */
    registerCallback(callback: (key: string, value: V | undefined) => void): void;
    /** Called at once with the current status, then on every change. */
    onStatus(callback: (status: Status) => void): void;
    close(): void;
}
