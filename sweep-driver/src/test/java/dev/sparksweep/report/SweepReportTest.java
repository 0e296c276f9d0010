package dev.sparksweep.report;

import dev.sparksweep.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a real small sweep (Spark local[2], DL4J on an MNIST slice): the HTML exists, embeds every plot and
 * names every configuration, and a real headless Chromium renders every plot with no console error.
 */
class SweepReportTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSweepsReportEmbedsEveryPlotNamesEveryConfigurationAndRendersInABrowser() throws IOException {
        Path sweep = dir.resolve("reported.conf");
        Files.writeString(sweep, """
                sweep {
                  name = reported
                  space {
                    family = [rnn, lstm], layers = [1], hidden = [16], activation = [tanh]
                    learning-rate = [0.003, 0.01], batch-size = [50], iterations = [30], seed = [1, 2]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 15, eval-batch-size = 300 }
                }
                """);
        Path out = dir.resolve("results");
        run("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        String byConfig = run("leaderboard", "--out", out.toString(), "--by", "config");
        Path html = dir.resolve("report.html");
        Path pngs = dir.resolve("plots");
        String printed = run("report", "--out", out.toString(), "--sweep", "reported", "--html", html.toString(),
                "--png-dir", pngs.toString());
        assertTrue(printed.contains(html.toAbsolutePath().toString()), printed);
        try (var files = Files.list(pngs)) {
            List<Path> written = files.toList();
            assertEquals(6, written.size(), "each plot also as its own PNG file: " + written);
            for (Path png : written) {
                java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
                assertTrue(image != null && image.getWidth() > 100 && image.getHeight() > 100, png.toString());
            }
        }

        String page = Files.readString(html);
        // Learning curves, test accuracy by learning rate and by family, the two together as a heat map, accuracy
        // against time and against size.
        int images = count(page, "src=\"data:image/png;base64,");
        assertEquals(6, images, "every plot embedded");
        assertTrue(page.contains("alt=\"mean test accuracy by family and learning_rate\""), "the heat map");
        assertTrue(!page.contains("http://") && !page.contains("https://"), "nothing to fetch from a network");
        Matcher ids = Pattern.compile("\\| ([0-9a-f]{16}) \\|").matcher(byConfig);
        int configs = 0;
        while (ids.find()) {
            assertTrue(page.contains(ids.group(1)), "the report names configuration " + ids.group(1));
            configs++;
        }
        assertEquals(4, configs, "2 families x 2 learning rates, over 2 seeds: " + byConfig);
        assertTrue(page.contains("(n=2)"), "intervals over the two seeds");

        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser check needs Debian's chromium and chromium-driver (.ci/run installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(html.toUri().toString());
            @SuppressWarnings("unchecked")
            List<List<Object>> rendered = (List<List<Object>>) ((JavascriptExecutor) browser).executeScript(
                    "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]);");
            assertEquals(images, rendered.size());
            for (List<Object> image : rendered) {
                assertEquals(Boolean.TRUE, image.get(0), "decoded: " + rendered);
                assertTrue(((Number) image.get(1)).intValue() > 100 && ((Number) image.get(2)).intValue() > 100,
                        "a real picture: " + rendered);
            }
            List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
            assertTrue(errors.isEmpty(), "console errors: " + errors);
            assertTrue(browser.getTitle().contains("reported"), browser.getTitle());
        } finally {
            browser.quit();
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
