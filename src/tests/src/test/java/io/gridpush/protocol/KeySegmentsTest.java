package io.gridpush.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridpush.testkit.Vectors;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeySegmentsTest {
    static Stream<Map<String, String>> valid() {
        return Vectors.valid().stream();
    }

    static Stream<Map<String, String>> invalidKeys() {
        return Vectors.invalidKeys().stream();
    }

    static Stream<Map<String, String>> invalidSegments() {
        return Vectors.invalidSegments().stream();
    }

    @Test
    void vectorsAreThere() {
        assertFalse(Vectors.valid().isEmpty());
        assertFalse(Vectors.invalidKeys().isEmpty());
        assertFalse(Vectors.invalidSegments().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("valid")
    void encodesEveryValidKey(Map<String, String> vector) {
        assertEquals(vector.get("segment"), KeySegments.encode(vector.get("key")));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void decodesEveryValidSegment(Map<String, String> vector) {
        assertEquals(vector.get("key"), KeySegments.decode(vector.get("segment")));
    }

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void refusesEveryInvalidKey(Map<String, String> vector) {
        assertThrows(IllegalArgumentException.class, () -> KeySegments.encode(vector.get("key")), vector.get("why"));
    }

    @ParameterizedTest
    @MethodSource("invalidSegments")
    void refusesEveryInvalidSegment(Map<String, String> vector) {
        assertThrows(IllegalArgumentException.class, () -> KeySegments.decode(vector.get("segment")), vector.get("why"));
    }

    @Test
    void refusesLoneSurrogates() {
        assertThrows(IllegalArgumentException.class, () -> KeySegments.encode("a\uD800b"));
    }

    @Test
    void channelNamesRoundTripAndRefuseWildcardEscapes() {
        assertEquals("/cache/demo/user$3A42$2Fname", ChannelNames.keyChannel("demo", "user:42/name"));
        assertEquals("user:42/name", ChannelNames.parse("/cache/demo/user$3A42$2Fname").key());
        assertEquals(true, ChannelNames.parse("/cache/demo/*").wildcard());
        for (String denied : new String[]{"/cache/*", "/cache/**", "/cache/demo/**", "/cache/*/x", "/cache/**/x"}) {
            assertEquals(true, ChannelNames.parse(denied).denied(), denied);
        }
        for (String bad : new String[]{"/cache/demo", "/cache/demo/a/b", "/cache/de mo/x", "/cache/demo/$2a", "/cache/demo/"}) {
            assertThrows(ChannelNames.BadChannelException.class, () -> ChannelNames.parse(bad), bad);
        }
    }
}
