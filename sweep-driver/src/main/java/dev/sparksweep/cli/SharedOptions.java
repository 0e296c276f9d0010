package dev.sparksweep.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options every command takes: setting overrides and how much of an error to show. */
final class SharedOptions {

    @Option(names = "-D", paramLabel = "key=value", description = "Override any setting of conf/application.conf or"
            + " the sweep file, e.g. -Dsweep.space.iterations=[100,200] -Dsweep.train.threads=2.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--verbose", description = "On an error, print its full stack trace too (it is always in the log"
            + " file).")
    boolean verbose;
}
