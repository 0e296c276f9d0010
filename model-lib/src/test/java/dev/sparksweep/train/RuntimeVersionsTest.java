package dev.sparksweep.train;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The version every result records names the commit the code was built from. */
class RuntimeVersionsTest {

    @Test
    void theVersionNamesTheCommitBuilt() throws IOException, InterruptedException {
        String version = RuntimeVersions.sparksweep();
        String head = gitHead();
        if (head == null) {
            // Built from a source archive (no commit to name), or git is not installed here.
            assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?(\\+[0-9a-f]{10}(\\.dirty)?)?"), version);
            return;
        }
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\+[0-9a-f]{10}(\\.dirty)?"), version);
        assertEquals(head, version.substring(version.indexOf('+') + 1, version.indexOf('+') + 11),
                "the commit checked out when the classes were built");
    }

    /** The checked-out commit, abbreviated as the build does; null outside a git work tree. */
    private static String gitHead() throws IOException, InterruptedException {
        Process git;
        try {
            git = new ProcessBuilder("git", "rev-parse", "--short=10", "HEAD").redirectErrorStream(true).start();
        } catch (IOException noGit) {
            return null;
        }
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{10}") ? out : null;
    }
}
