// The version rule for one subscription, as the browser client applies it: an ES module of its own, with
// no dependency, so that node runs the version-rule vectors against it (webapp/test/version-rule.test.mjs).
/** The version rule for one subscription (see README, "Versions"). */
export class VersionGate {
    #keys = new Map();

    resync() {
        for (const state of this.#keys.values()) {
            state.appliedSinceSync = false;
            state.appliedSinceListing = false;
            state.snapshotted = false;
        }
    }

    // The rest of a truncated snapshot is about to be listed by paging. What was applied before may predate
    // the re-sync, so only what the listing mentions, or what is applied from now on, proves a key exists.
    startListing() {
        for (const state of this.#keys.values()) {
            state.appliedSinceListing = false;
        }
    }

    admit(event) {
        if (event.type === "snapshot-end" || event.type === "resync" || event.key === undefined) {
            return true;
        }
        let state = this.#keys.get(event.key);
        if (!state) {
            state = { version: -1, appliedSinceSync: false, snapshotted: false, present: false };
            this.#keys.set(event.key, state);
        }
        if (event.type === "snapshot") {
            state.snapshotted = true;
        }
        // A found: false snapshot with the remove's version (gridpush's addition to the contract) is ordered
        // like any event: it also refuses a late event of an older connection that would bring the key back.
        if (event.type === "snapshot" && !event.found && event.version === undefined) {
            if (state.appliedSinceSync) {
                return false;
            }
            state.present = false;
            return true;
        }
        if (event.version <= state.version) {
            return false;
        }
        state.version = event.version;
        state.appliedSinceSync = true;
        state.appliedSinceListing = true;
        state.present = event.type === "snapshot" ? event.found : !(event.type === "removed" || event.type === "expired");
        return true;
    }

    /** Keys shown as present that a complete re-sync did not mention: they are gone. */
    vanished() {
        const gone = [];
        for (const [key, state] of this.#keys) {
            if (state.present && !state.snapshotted && !state.appliedSinceListing) {
                // The removal's version is unknown, but above the last one applied: keep that, so a late
                // event of an older connection cannot bring the key back; a re-create is versioned higher.
                state.present = false;
                gone.push(key);
            }
        }
        return gone;
    }
}
