package io.gridpush.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * The key-encoding vectors of the contract, kept in the repository at {@link #PATH} (a copy of
 * {@code shared/protocol-vectors.json}; {@code ProtocolVectorsTest} checks the copy when shared/ is beside the checkout).
 * Tests run with the repository root as their working directory.
 */
public final class Vectors {
    /** Where the key vectors live, relative to the repository root. */
    public static final String PATH = "src/protocol/vectors/protocol-vectors.json";
    private static final Map<?, ?> VECTORS = load();

    private Vectors() {
    }

    /** key -> segment pairs. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, String>> valid() {
        return list("valid");
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, String>> invalidKeys() {
        return list("invalid_keys");
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, String>> invalidSegments() {
        return list("invalid_segments");
    }

    /** The awkward keys: every valid vector key. */
    public static List<String> keys() {
        return valid().stream().map(v -> v.get("key")).toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List list(String name) {
        Object value = VECTORS.get(name);
        return value instanceof Object[] array ? List.of(array) : (List)value;
    }

    private static Map<?, ?> load() {
        Path path = Path.of(System.getProperty("gridpush.vectors", PATH));
        try {
            return (Map<?, ?>)new JSON().fromJSON(Files.readString(path));
        } catch (IOException x) {
            throw new IllegalStateException("cannot read the protocol vectors at " + path.toAbsolutePath() +
                "; run the tests from the repository root, or pass -Dgridpush.vectors=PATH", x);
        }
    }
}
