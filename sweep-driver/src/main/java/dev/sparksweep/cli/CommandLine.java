package dev.sparksweep.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parsed arguments of one sub-command: positional arguments, {@code --name value} options and {@code -Dkey=value}. */
record CommandLine(String command, List<String> positional, Map<String, String> options,
                   Map<String, String> overrides, boolean help) {

    static CommandLine parse(String[] args, Set<String> valueOptions) {
        if (args.length == 0) {
            return new CommandLine("help", List.of(), Map.of(), Map.of(), true);
        }
        String command = args[0];
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
            } else if (a.startsWith("-D")) {
                int eq = a.indexOf('=');
                if (eq < 3) {
                    throw new UsageException("expected -Dkey=value, got '" + a + "'");
                }
                overrides.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!valueOptions.contains(name)) {
                    throw new UsageException("unknown option --" + name + " for '" + command + "'");
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
                options.put(name, value);
            } else {
                positional.add(a);
            }
        }
        return new CommandLine(command, positional, options, overrides, help);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    int intOption(String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a positive whole number, got '" + v + "'");
        }
    }
}
