package dev.zonewire.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonewire.common.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonLinesEncoderTest {
    private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    private final JsonLinesEncoder encoder = new JsonLinesEncoder();

    @Test
    void anEventBecomesOneJsonLineWithTheFixedFields() throws Exception {
        LoggingEvent event = event(Level.WARN, "relay {} is full", "eu-1");
        event.setInstant(Instant.parse("2026-11-24T01:02:03.456789Z"));

        String line = encode(event);
        JsonNode json = new ObjectMapper().readTree(line);

        assertThat(line).endsWith("\n").containsOnlyOnce("\n");
        assertThat(json.get("time").asText()).isEqualTo("2026-11-24T01:02:03.456789Z");
        assertThat(json.get("severity").asText()).isEqualTo("WARN");
        assertThat(json.get("message").asText()).isEqualTo("relay eu-1 is full");
        assertThat(json.get("logger").asText()).isEqualTo("dev.zonewire.relay.Server");
        assertThat(json.has("thread")).isTrue();
    }

    @Test
    void structuredValuesKeepTheirJsonTypes() throws Exception {
        LoggingEvent event = event(Level.INFO, "allocated");
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("port", 49152));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("dual_stack", true));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("client", "10.0.0.1:3478"));

        JsonNode json = new ObjectMapper().readTree(encode(event));

        assertThat(json.get("port").isInt()).isTrue();
        assertThat(json.get("port").asInt()).isEqualTo(49152);
        assertThat(json.get("dual_stack").asBoolean()).isTrue();
        assertThat(json.get("client").asText()).isEqualTo("10.0.0.1:3478");
    }

    @Test
    void aSecretValueStaysRedacted() {
        LoggingEvent event = event(Level.INFO, "joined with {}", Secret.of("tok-123"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("token", Secret.of("tok-456")));

        assertThat(encode(event)).doesNotContain("tok-123").doesNotContain("tok-456").contains("Secret[redacted]");
    }

    @Test
    void aStructuredKeyCannotOverwriteAFixedField() throws Exception {
        LoggingEvent event = event(Level.INFO, "the real message");
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("message", "forged"));

        JsonNode json = new ObjectMapper().readTree(encode(event));

        assertThat(json.get("message").asText()).isEqualTo("the real message");
        assertThat(json.get("message_").asText()).isEqualTo("forged");
    }

    @Test
    void anExceptionIsWrittenWithItsStackTraceInsideTheLine() throws Exception {
        LoggingEvent event = event(Level.ERROR, "failed");
        event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("boom")));

        String line = encode(event);

        assertThat(line).containsOnlyOnce("\n");
        assertThat(new ObjectMapper().readTree(line).get("exception").asText())
                .contains("IllegalStateException: boom")
                .contains("JsonLinesEncoderTest");
    }

    private LoggingEvent event(Level level, String message, Object... arguments) {
        return new LoggingEvent("test", context.getLogger("dev.zonewire.relay.Server"), level, message, null, arguments);
    }

    private String encode(LoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
