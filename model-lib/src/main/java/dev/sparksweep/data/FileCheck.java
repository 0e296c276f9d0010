package dev.sparksweep.data;

import java.nio.file.Path;

/** The state of one manifest file in a directory, as found by {@link DatasetManifest#check(Path, String)}. */
public sealed interface FileCheck permits FileCheck.Valid, FileCheck.Missing, FileCheck.Mismatch, FileCheck.Unreadable {

    /** The manifest (uncompressed) file name this check is about. */
    String fileName();

    boolean isValid();

    /** A one-line description naming the file, for logs and exception messages. */
    String describe();

    /** Present (raw or .gz) with the expected content hash. */
    record Valid(String fileName, Path path) implements FileCheck {
        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public String describe() {
            return path + ": ok";
        }
    }

    /** Neither the raw nor the .gz form exists in {@code dir}. */
    record Missing(String fileName, Path dir) implements FileCheck {
        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public String describe() {
            return dir.resolve(fileName) + ": missing (neither " + fileName + " nor " + fileName + ".gz is in "
                    + dir + ")";
        }
    }

    /** Present, but its uncompressed content hashes to something else: corrupt, truncated or a different dataset. */
    record Mismatch(String fileName, Path path, String expected, String actual) implements FileCheck {
        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public String describe() {
            return path + ": SHA-256 mismatch, expected " + expected + " but the (uncompressed) content hashes to "
                    + actual;
        }
    }

    /** Present but cannot be read or decompressed. */
    record Unreadable(String fileName, Path path, String reason) implements FileCheck {
        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public String describe() {
            return path + ": unreadable (" + reason + ")";
        }
    }
}
