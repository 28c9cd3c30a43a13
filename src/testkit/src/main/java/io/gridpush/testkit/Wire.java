package io.gridpush.testkit;

import java.util.regex.Pattern;

/** What a contract answer may never look like on the wire, as assertions. */
public final class Wire {
    /** Java package prefixes and exception class names: internals that must not reach a client. */
    private static final Pattern JAVA_NAMES = Pattern.compile(
        "\\b(java|javax|jakarta|org\\.eclipse|org\\.cometd|org\\.infinispan|io\\.gridpush)\\.[a-z]|[A-Z][A-Za-z]*(Exception|Error)\\b|\\tat ");

    private Wire() {
    }

    /** Fails unless {@code answer} is a contract answer: no 5xx, no 1011, no broken connection without a close, no Java names. */
    public static void assertContractAnswer(RawSession.Answer answer, String sent) {
        String context = sent + "\n  -> " + answer.wire();
        if (answer.status() >= 500 || answer.status() < 0) {
            throw new AssertionError("HTTP " + answer.status() + " for " + context);
        }
        if (answer.closeCode() == 1011 || answer.closeCode() < 0) {
            throw new AssertionError("WebSocket close " + answer.closeCode() + " for " + context);
        }
        if (answer.body().contains("no reply within")) {
            throw new AssertionError("no answer for " + context);
        }
        if (JAVA_NAMES.matcher(answer.body()).find() || answer.closeReason() != null && JAVA_NAMES.matcher(answer.closeReason()).find()) {
            throw new AssertionError("Java names on the wire for " + context);
        }
    }
}
