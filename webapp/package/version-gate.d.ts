// Declarations of version-gate.js (the version rule, README "Versions"), written by hand.

/** What the gate reads of an event: its type, key, version and, for a snapshot, whether the key exists. */
export interface VersionedEvent {
    type: "created" | "modified" | "removed" | "expired" | "snapshot" | "snapshot-end" | "resync";
    key?: string;
    version?: number;
    found?: boolean;
}

/** The version rule for one subscription: a key's events are applied only in increasing version order. */
export class VersionGate {
    /** After a re-subscription: what was applied before may predate the fresh snapshots. */
    resync(): void;
    /** The rest of a truncated snapshot is about to be listed page by page. */
    startListing(): void;
    /** Whether to apply `event`; snapshot-end, resync and key-less events always pass. */
    admit(event: VersionedEvent): boolean;
    /** Keys shown as present that a complete re-sync did not mention: they are gone. */
    vanished(): string[];
}
