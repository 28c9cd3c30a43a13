package io.gridpush.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules with one home, checked on the main Java sources of the product's modules (tests run at the repository
 * root; the test kit is left out, as its raw clients write wire messages by hand on purpose):
 * channel names are built and parsed only in the contract ({@code ChannelNames}), and Bayeux error strings
 * ({@code "403::..."}) are spelt only there ({@code BayeuxErrors}). A literal elsewhere is a second home
 * that would drift from the first.
 */
class OneHomeTest {
    private static final Path MODULES = Path.of("src");
    private static final Path CONTRACT = MODULES.resolve("protocol");
    private static final Path TEST_KIT = MODULES.resolve("testkit");

    @Test
    void channelNamesAreBuiltOnlyInTheContract() {
        assertEquals(List.of(), literalsOutsideTheContract(Pattern.compile("\"/(cache|service|meta)\\b")));
    }

    @Test
    void bayeuxErrorStringsAreSpeltOnlyInTheContract() {
        assertEquals(List.of(), literalsOutsideTheContract(Pattern.compile("\"40[0-9]::")));
    }

    /** "file:line: text" of each main-source line outside the contract that matches {@code literal}. */
    private static List<String> literalsOutsideTheContract(Pattern literal) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MODULES)) {
            for (Path file : files.filter(OneHomeTest::isMainSource).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); ++i) {
                    String line = lines.get(i).strip();
                    boolean comment = line.startsWith("*") || line.startsWith("//") || line.startsWith("/*");
                    if (!comment && literal.matcher(line).find()) {
                        found.add(file + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot read the sources under " + MODULES.toAbsolutePath(), x);
        }
        return found;
    }

    private static boolean isMainSource(Path file) {
        return file.toString().endsWith(".java") && file.toString().contains("/src/main/java/") && !file.startsWith(CONTRACT) && !file.startsWith(TEST_KIT);
    }
}
