package dev.zonewire.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each event as one JSON object on one line: {@code time} (RFC 3339, UTC), {@code
 * severity}, {@code message}, {@code logger}, {@code thread}, then the event's structured
 * key/values and MDC entries, then {@code exception} when there is one. A structured key that repeats a fixed field's name gets a trailing underscore. Structured values keep
 * their JSON type when they are numbers or booleans; anything else is written as its string form,
 * so a {@link dev.zonewire.common.Secret} stays redacted.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {
    private static final DateTimeFormatter RFC_3339_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] NO_BYTES = new byte[0];
    private static final byte[] LINE_SEPARATOR = CoreConstants.LINE_SEPARATOR.getBytes(StandardCharsets.UTF_8);

    private static final Set<String> FIXED_FIELDS =
            Set.of("time", "severity", "message", "logger", "thread", "exception");

    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return NO_BYTES;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("time", RFC_3339_UTC.format(event.getInstant()));
            generator.writeStringField("severity", event.getLevel().toString());
            generator.writeStringField("message", event.getFormattedMessage());
            generator.writeStringField("logger", event.getLoggerName());
            generator.writeStringField("thread", event.getThreadName());
            writeKeyValues(generator, event);
            if (event.getThrowableProxy() != null) {
                generator.writeStringField("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(LINE_SEPARATOR);
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return NO_BYTES;
    }

    private static void writeKeyValues(JsonGenerator generator, ILoggingEvent event) throws IOException {
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                generator.writeFieldName(fieldName(pair.key));
                writeValue(generator, pair.value);
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> entry : mdc.entrySet()) {
                generator.writeStringField(fieldName(entry.getKey()), entry.getValue());
            }
        }
    }

    /** A structured key never overwrites one of the fixed fields. */
    private static String fieldName(String key) {
        return FIXED_FIELDS.contains(key) ? key + "_" : key;
    }

    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        switch (value) {
            case null -> generator.writeNull();
            case Integer i -> generator.writeNumber(i);
            case Long l -> generator.writeNumber(l);
            case Short s -> generator.writeNumber(s);
            case Byte b -> generator.writeNumber(b);
            case Double d -> generator.writeNumber(d);
            case Float f -> generator.writeNumber(f);
            case Boolean b -> generator.writeBoolean(b);
            default -> generator.writeString(value.toString());
        }
    }
}
