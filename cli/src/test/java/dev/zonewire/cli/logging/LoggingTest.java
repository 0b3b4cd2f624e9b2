package dev.zonewire.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonewire.common.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
    @TempDir
    Path logDir;

    @AfterEach
    void restoreStderrOnlyLogging() {
        Logging.configure(new LogSettings(LogFilter.parse("info"), null, 1 << 20, 2), "test");
    }

    @Test
    void eventsGoToAJsonLinesFileNamedAfterTheComponent() throws Exception {
        Logging.configure(new LogSettings(LogFilter.parse("info"), logDir, 1 << 20, 3), "relay");
        Logger log = LoggerFactory.getLogger("dev.zonewire.relay.Server");

        log.atInfo().addKeyValue("port", 3478).log("listening");

        List<JsonNode> lines = readAll(logDir.resolve("relay.log"));
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().get("message").asText()).isEqualTo("listening");
        assertThat(lines.getFirst().get("port").asInt()).isEqualTo(3478);
    }

    @Test
    void theFilterSetsLevelsPerPackage() throws Exception {
        Logging.configure(new LogSettings(LogFilter.parse("warn,dev.zonewire.relay=debug"), logDir, 1 << 20, 3), "relay");

        LoggerFactory.getLogger("dev.zonewire.relay.Server").debug("relay debug");
        LoggerFactory.getLogger("dev.zonewire.phoenix.Client").info("phoenix info");
        LoggerFactory.getLogger("dev.zonewire.phoenix.Client").warn("phoenix warn");

        assertThat(readAll(logDir.resolve("relay.log")))
                .extracting(json -> json.get("message").asText())
                .containsExactly("relay debug", "phoenix warn");
    }

    @Test
    void debugEverywhereStillKeepsJettyAtInfoBecauseItsDebugLogsCarryTokens() throws Exception {
        Logging.configure(new LogSettings(LogFilter.parse("debug"), logDir, 1 << 20, 3), "client");

        LoggerFactory.getLogger("org.eclipse.jetty.client.HttpRequest").debug("GET /socket?token=abc");
        LoggerFactory.getLogger("dev.zonewire.client").debug("ours");

        assertThat(readAll(logDir.resolve("client.log")))
                .extracting(json -> json.get("message").asText())
                .containsExactly("ours");
    }

    @Test
    void namingJettyInTheFilterLowersItWithAWarning() throws Exception {
        Logging.configure(new LogSettings(LogFilter.parse("info,org.eclipse.jetty.client=debug"), logDir, 1 << 20, 3), "client");

        LoggerFactory.getLogger("org.eclipse.jetty.client.HttpRequest").debug("jetty detail");

        assertThat(readAll(logDir.resolve("client.log")))
                .extracting(json -> json.get("message").asText())
                .anyMatch(message -> message.contains("carry portal tokens"))
                .contains("jetty detail");
    }

    @Test
    void filesRotateBySizeAndOnlyTheNewestAreKept() throws Exception {
        Logging.configure(new LogSettings(LogFilter.parse("info"), logDir, 2048, 3), "gateway");
        Logger log = LoggerFactory.getLogger("dev.zonewire.gateway");

        for (int i = 0; i < 500; i++) {
            log.info("event number {} with some padding to fill the file quickly", i);
        }

        try (Stream<Path> files = Files.list(logDir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("gateway.log", "gateway.1.log", "gateway.2.log");
        }
        List<JsonNode> current = readAll(logDir.resolve("gateway.log"));
        assertThat(current.getLast().get("message").asText()).contains("event number 499");
    }

    @Test
    void jqPrintsOneReadableLinePerEvent() throws Exception {
        Logging.configure(new LogSettings(LogFilter.parse("info"), logDir, 1 << 20, 3), "client");
        Logger log = LoggerFactory.getLogger("dev.zonewire.client");
        log.info("first event");
        log.atWarn().addKeyValue("token", Secret.of("s3cr3t")).log("second event");

        Process jq = new ProcessBuilder("sh", "-c", "cat *.log | jq -r '\"\\(.time) \\(.severity) \\(.message)\"'")
                .directory(logDir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(jq.getInputStream().readAllBytes());
        assertThat(jq.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(jq.exitValue()).as(output).isZero();
        assertThat(output.lines().toList())
                .hasSize(2)
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z (INFO|WARN) .+ event"));
        assertThat(Files.readString(logDir.resolve("client.log"))).doesNotContain("s3cr3t");
    }

    private static List<JsonNode> readAll(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(mapper.readTree(line));
        }
        return lines;
    }
}
