package dev.zonewire.phoenix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every message survives encode then decode, with either serializer; decode never throws. */
class SerializerRoundTripProperties {

    @Property(tries = 300)
    void aV2MessageDecodesToItself(@ForAll("messages") Message message) {
        var decoded = V2JsonSerializer.INSTANCE.decode(V2JsonSerializer.INSTANCE.encode(message));

        assertThat(decoded).isEqualTo(new Decoded.Ok(message));
    }

    @Property(tries = 300)
    void aV1MessageDecodesToItselfWithoutItsJoinRef(@ForAll("messages") Message message) {
        var decoded = V1JsonSerializer.INSTANCE.decode(V1JsonSerializer.INSTANCE.encode(message));

        assertThat(decoded).isEqualTo(new Decoded.Ok(new Message(null, message.ref(), message.topic(), message.event(), message.payload())));
    }

    @Property(tries = 500)
    void decodingArbitraryTextNeverThrows(@ForAll String frame) {
        assertThat(V1JsonSerializer.INSTANCE.decode(frame)).isNotNull();
        assertThat(V2JsonSerializer.INSTANCE.decode(frame)).isNotNull();
    }

    @Property(tries = 200)
    void aMalformedReasonNeverQuotesTheFrame(@ForAll("secrets") String secret) {
        String frame = "{\"topic\":\"relay\",\"event\":\"x\",\"payload\":" + secret + "}";

        var decoded = V1JsonSerializer.INSTANCE.decode(frame);

        assertThat(decoded).isInstanceOf(Decoded.Malformed.class);
        assertThat(((Decoded.Malformed) decoded).reason()).doesNotContain(secret);
    }

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().alpha().ofMinLength(12).ofMaxLength(40).map(s -> "unquoted" + s);
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<JsonNode> refs = Arbitraries.oneOf(
                Arbitraries.just(null),
                // Jackson reads a number into the smallest node that holds it.
                Arbitraries.longs().greaterOrEqual(0).map(n -> n <= Integer.MAX_VALUE ? (JsonNode) IntNode.valueOf(n.intValue()) : LongNode.valueOf(n)),
                Arbitraries.strings().ofMaxLength(8).map(TextNode::valueOf));
        Arbitrary<JsonNode> payloads = Arbitraries.oneOf(
                Arbitraries.just(JsonNodeFactory.instance.nullNode()),
                Arbitraries.strings().ofMaxLength(30).map(TextNode::valueOf),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(10), Arbitraries.integers())
                        .ofMaxSize(5)
                        .map(map -> {
                            var node = JsonNodeFactory.instance.objectNode();
                            map.forEach(node::put);
                            return node;
                        }));
        Arbitrary<String> names = Arbitraries.strings().ofMaxLength(20);
        return Combinators.combine(refs, refs, names, names, payloads).as(Message::new);
    }
}
