package io.gridpush.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The key vectors live in the repository ({@link Vectors#PATH}), so a fresh clone tests without anything beside
 * it; when the shared contract is checked out beside the repository, the copy must be the same file.
 */
class ProtocolVectorsTest {
    private static final Path SHARED = Path.of("../shared/protocol-vectors.json");

    @Test
    void theRepositoryCopyOfTheKeyVectorsIsTheSharedOne() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SHARED), "no shared/ beside the checkout: nothing to compare with");
        assertEquals(Files.readString(SHARED), Files.readString(Path.of(Vectors.PATH)),
            Vectors.PATH + " differs from " + SHARED.toAbsolutePath() + "; copy the shared file over it");
    }
}
