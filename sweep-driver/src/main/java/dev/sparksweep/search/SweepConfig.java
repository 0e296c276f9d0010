package dev.sparksweep.search;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import dev.sparksweep.data.DataSource;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.search.params.Space;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads settings the way users layer them: {@code -Dkey=value} overrides, then the sweep file, then the defaults in
 * {@code application.conf} (the repository's {@code conf/}, also embedded in the jar). Everything is checked before
 * any Spark job starts: unknown keys, wrong types and impossible values fail with the file, line, key and value.
 */
public final class SweepConfig {

    /** Classpath folder of the ready-made sweeps ({@code conf/sweeps}). */
    public static final String EMBEDDED_SWEEPS = "sweeps/";
    /** Sub-trees whose keys are checked elsewhere or are the user's own (Spark settings; the space: SpaceParser). */
    private static final Set<String> FREE_FORM = Set.of("sparksweep.spark.conf", "sweep.space");
    /** Trained images per dataset's training file; the validation split must leave some. */
    private static final int TRAINING_IMAGES = 60_000;

    private final Config config;
    private final String source;
    private final ConfigValues read;

    private SweepConfig(Config config, String source) {
        this.config = config;
        this.source = source;
        this.read = new ConfigValues(config);
    }

    /**
     * @param sweep     a sweep file path, the name of an embedded sweep ({@code quick}), or {@code null} for defaults only
     * @param overrides {@code key -> HOCON value} pairs from the command line
     */
    public static SweepConfig load(String sweep, Map<String, String> overrides) {
        Config defaults = ConfigFactory.parseResourcesAnySyntax("application");
        if (!defaults.hasPath("sweep")) {
            throw new SweepConfigException("application.conf with the defaults is not on the classpath");
        }
        Config user = ConfigFactory.empty();
        String source = "defaults";
        if (sweep != null) {
            Path file = Path.of(sweep);
            if (Files.isRegularFile(file)) {
                user = parseFile(file);
                source = file.toString();
            } else if (!sweep.contains("/") && SweepConfig.class.getClassLoader()
                    .getResource(EMBEDDED_SWEEPS + stripConf(sweep) + ".conf") != null) {
                user = ConfigFactory.parseResources(EMBEDDED_SWEEPS + stripConf(sweep) + ".conf",
                        ConfigParseOptions.defaults().setAllowMissing(false));
                source = "embedded sweep '" + stripConf(sweep) + "'";
            } else {
                throw new SweepConfigException("sweep file not found: " + file.toAbsolutePath()
                        + " (give a path to a .conf file, or the name of a ready sweep in conf/sweeps)");
            }
            checkKnownKeys(user, defaults, source);
        }
        Config cli = ConfigFactory.empty();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Config one;
            try {
                one = ConfigFactory.parseString(e.getKey() + " = " + e.getValue(),
                        ConfigParseOptions.defaults().setOriginDescription("-D" + e.getKey()));
            } catch (ConfigException ex) {
                throw new SweepConfigException("bad override -D" + e.getKey() + "=" + e.getValue() + ": "
                        + ex.getMessage(), ex);
            }
            checkKnownKeys(one, defaults, "-D" + e.getKey());
            cli = one.withFallback(cli);
        }
        Config merged;
        try {
            merged = cli.withFallback(user).withFallback(defaults)
                    .withFallback(ConfigFactory.systemProperties()).resolve();
        } catch (ConfigException e) {
            throw new SweepConfigException(source + ": " + e.getMessage(), e);
        }
        String name = sweep == null ? "defaults" : source;
        return new SweepConfig(merged, name);
    }

    /** The validated sweep definition. */
    public SweepDefinition sweep() {
        try {
            String name = config.getString("sweep.name");
            if (name.isBlank()) {
                name = source.startsWith("embedded sweep") ? source.replaceAll(".*'(.*)'", "$1")
                        : stripConf(Path.of(source).getFileName().toString());
            }
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw ConfigValues.invalid("sweep.name", name, "use letters, digits, '.', '_' and '-' only");
            }
            DatasetName dataset = ConfigValues.parse("sweep.dataset", config.getString("sweep.dataset"), DatasetName::parse);
            Space space = SpaceParser.parse(config.getObject("sweep.space"));
            SearchSettings search = new SearchSettingsReader(config).read(space);
            int validation = read.atLeast("sweep.data.validation-size", 0);
            if (validation >= TRAINING_IMAGES) {
                throw ConfigValues.invalid("sweep.data.validation-size", validation,
                        "must leave training images (the training file has " + TRAINING_IMAGES + ")");
            }
            DataSpec data = new DataSpec(dataset, validation, read.atLeast("sweep.data.train-limit", 0),
                    read.atLeast("sweep.data.test-limit", 0));
            return new SweepDefinition(name, source, space, search, data, read.atLeast("sweep.train.eval-every", 1),
                    read.atLeast("sweep.train.eval-batch-size", 1), read.atLeast("sweep.train.threads", 1),
                    read.atLeast("sweep.max-trials", 1), read.flag("sweep.train.test-curve"),
                    duration("sweep.train.time-limit", "no limit"),
                    divergenceLossRatio(), read.atLeast("sweep.train.divergence.patience", 0),
                    new SaveModels(ConfigValues.parse("sweep.train.save-models", config.getString("sweep.train.save-models"),
                            SaveModels.Mode::parse), read.atLeast("sweep.train.best-k", 1)),
                    read.flag("sweep.train.continue-budgets"), duration("sweep.train.checkpoint-every", "never"));
        } catch (ConfigException e) {
            throw new SweepConfigException(source + ": " + e.getMessage(), e);
        }
    }

    /** A duration setting that may be zero ({@code zero} says what that means) but not negative. */
    private Duration duration(String path, String zero) {
        Duration value = config.getDuration(path);
        if (value.isNegative()) {
            throw ConfigValues.invalid(path, config.getValue(path).unwrapped(), "must be zero (" + zero
                    + ") or a positive duration");
        }
        return value;
    }

    private double divergenceLossRatio() {
        String path = "sweep.train.divergence.loss-ratio";
        ConfigValue v = config.getValue(path);
        double ratio;
        try {
            ratio = ConfigValues.number(v);
        } catch (IllegalArgumentException e) {
            throw ConfigValues.invalidValue(path, v, e.getMessage());
        }
        if (!(ratio > 1) || Double.isInfinite(ratio)) {
            throw ConfigValues.invalidValue(path, v, "must be a number above 1 (a multiple of the loss at iteration 1)");
        }
        return ratio;
    }

    /** Where data, results and Spark live. */
    public RuntimeSettings runtime() {
        try {
            Map<DatasetName, List<String>> sources = new EnumMap<>(DatasetName.class);
            Config sourceConfig = config.getConfig("sparksweep.data.sources");
            for (DatasetName dataset : DatasetName.values()) {
                List<String> list = new ArrayList<>();
                if (sourceConfig.hasPath(dataset.id())) {
                    for (String s : sourceConfig.getStringList(dataset.id())) {
                        try {
                            DataSource.parse(s); // checked now, parsed again where the data is fetched
                            list.add(s);
                        } catch (IllegalArgumentException e) {
                            throw ConfigValues.invalid("sparksweep.data.sources." + dataset.id(), s, e.getMessage());
                        }
                    }
                }
                sources.put(dataset, list);
            }
            Map<String, String> spark = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigValue> e : config.getConfig("sparksweep.spark.conf").entrySet()) {
                spark.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
            }
            Duration interval = config.getDuration("sparksweep.progress-interval");
            return new RuntimeSettings(Path.of(config.getString("sparksweep.data.dir")), sources,
                    Path.of(config.getString("sparksweep.output")), config.getString("sparksweep.spark.master"),
                    spark, interval, config.getString("sparksweep.gpu.nvidia-smi"),
                    config.getString("sparksweep.spark.auth-secret-file"),
                    read.atLeast("sparksweep.results.compact-above", 0));
        } catch (ConfigException e) {
            throw new SweepConfigException(source + ": " + e.getMessage(), e);
        }
    }

    /** Every leaf the user wrote must be a key the defaults know, except inside free-form sub-trees. */
    private static void checkKnownKeys(Config user, Config defaults, String source) {
        if (user.hasPath("sweep.space")) {
            try {
                SpaceParser.checkKeys(user.getObject("sweep.space"));
            } catch (ConfigException.WrongType e) {
                throw new SweepConfigException(source + ": sweep.space must be an object of parameter keys");
            }
        }
        Set<String> known = new LinkedHashSet<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            known.add(e.getKey());
        }
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (known.contains(key) || FREE_FORM.stream().anyMatch(f -> key.equals(f) || key.startsWith(f + "."))) {
                continue;
            }
            String hint = known.stream().filter(k -> k.endsWith("." + lastSegment(key))).findFirst()
                    .map(k -> " (did you mean " + k + "?)").orElse("");
            throw new SweepConfigException(ConfigValues.origin(e.getValue()) + "unknown key '" + key + "' in " + source + hint);
        }
    }

    private static String lastSegment(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(dot + 1);
    }

    private static Config parseFile(Path file) {
        try {
            return ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw new SweepConfigException("cannot read sweep file " + file.toAbsolutePath() + ": " + e.getMessage(),
                    e);
        }
    }

    private static String stripConf(String name) {
        return name.endsWith(".conf") ? name.substring(0, name.length() - 5) : name;
    }

}
