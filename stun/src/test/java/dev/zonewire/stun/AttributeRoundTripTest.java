package dev.zonewire.stun;

import dev.zonewire.common.Secret;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every attribute survives encoding and decoding, alone and in any mix, with and without protection. */
class AttributeRoundTripTest {
    private static final List<String> EVERY_KIND = recordsPermittedBy(StunAttribute.class);

    @Property(tries = 3000)
    void everyAttributeRoundTripsAlone(@ForAll("attributes") StunAttribute attribute,
                                       @ForAll("transactionIds") TransactionId id) {
        StunMessage message = StunMessage.indication(StunMethod.BINDING, id).add(attribute).build();
        Statistics.label("kind").collect(attribute.getClass().getSimpleName());

        StunMessage decoded = decode(StunEncoder.encode(message)).message();

        assertThat(decoded).isEqualTo(message);
        Statistics.label("kind").coverage(checker -> EVERY_KIND.forEach(
                kind -> checker.check(kind).count(count -> count > 0)));
    }

    @Property(tries = 500)
    void mixedAttributesRoundTripUnderIntegrityAndFingerprint(
            @ForAll("protectableAttributes") List<StunAttribute> attributes,
            @ForAll("transactionIds") TransactionId id,
            @ForAll("passwords") String password) {
        StunMessage message = new StunMessage(StunMessageClass.REQUEST, StunMethod.ALLOCATE, id, attributes);
        IntegrityKey key = IntegrityKey.longTerm("user", "realm", Secret.of(password));

        ReceivedStunMessage received = decode(StunEncoder.encode(message,
                MessageProtection.integrity(key).withSha256().withFingerprint()));

        assertThat(received.message().attributes().subList(0, attributes.size())).isEqualTo(attributes);
        assertThat(received.verifyMessageIntegrity(key)).isTrue();
        assertThat(received.verifyMessageIntegritySha256(key)).isTrue();
        assertThat(received.verifyFingerprint()).isTrue();
        assertThat(received.verifyMessageIntegrity(IntegrityKey.longTerm("user", "realm", Secret.of(password + "x")))).isFalse();
    }

    @Provide
    Arbitrary<TransactionId> transactionIds() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs()).as(TransactionId::new);
    }

    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().ascii().ofMaxLength(40);
    }

    @Provide
    Arbitrary<List<StunAttribute>> protectableAttributes() {
        return protectable().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<StunAttribute> attributes() {
        return Arbitraries.oneOf(protectable(), Arbitraries.oneOf(List.of(
                bytes(20, 20).map(StunAttribute.MessageIntegrity::new),
                Arbitraries.integers().between(4, 8).flatMap(n -> bytes(n * 4, n * 4)).map(StunAttribute.MessageIntegritySha256::new),
                Arbitraries.integers().map(StunAttribute.Fingerprint::new))));
    }

    /** Attributes that may come before MESSAGE-INTEGRITY (and so survive a protected round trip). */
    private Arbitrary<StunAttribute> protectable() {
        Arbitrary<AddressFamily> families = Arbitraries.of(AddressFamily.class);
        return Arbitraries.oneOf(List.of(
                addresses().map(StunAttribute.MappedAddress::new),
                addresses().map(StunAttribute.XorMappedAddress::new),
                addresses().map(StunAttribute.XorRelayedAddress::new),
                addresses().map(StunAttribute.XorPeerAddress::new),
                text(170).map(StunAttribute.Username::new),
                text(127).map(StunAttribute.Realm::new),
                text(127).map(StunAttribute.Nonce::new),
                text(127).map(StunAttribute.Software::new),
                Combinators.combine(errorCodes(), text(127)).as(StunAttribute.ErrorCode::new),
                Combinators.combine(families, errorCodes(), text(127)).as(StunAttribute.AddressErrorCode::new),
                Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(6).map(StunAttribute.UnknownAttributes::new),
                Arbitraries.integers().between(0x4000, 0x7FFF).map(StunAttribute.ChannelNumber::new),
                Arbitraries.longs().between(0, 0xFFFFFFFFL).map(StunAttribute.Lifetime::new),
                Arbitraries.integers().between(0, 255).map(StunAttribute.RequestedTransport::new),
                families.map(StunAttribute.RequestedAddressFamily::new),
                Arbitraries.of(true, false).map(StunAttribute.EvenPort::new),
                families.map(StunAttribute.AdditionalAddressFamily::new),
                bytes(0, 1400).map(StunAttribute.Data::new),
                Arbitraries.longs().between(0, 0xFFFFFFFFL).map(StunAttribute.Priority::new),
                Arbitraries.just(new StunAttribute.UseCandidate()),
                Arbitraries.longs().map(StunAttribute.IceControlled::new),
                Arbitraries.longs().map(StunAttribute.IceControlling::new),
                Combinators.combine(unknownTypes(), bytes(0, 64)).as(StunAttribute.Unknown::new)));
    }

    private static Arbitrary<Integer> unknownTypes() {
        List<Integer> known = List.of(0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x000C, 0x000D, 0x0012, 0x0013,
                0x0014, 0x0015, 0x0016, 0x0017, 0x0018, 0x0019, 0x001C, 0x0020, 0x0024, 0x0025, 0x8000, 0x8001, 0x8022,
                0x8028, 0x8029, 0x802A);
        return Arbitraries.integers().between(0, 0xFFFF).filter(type -> !known.contains(type));
    }

    private static Arbitrary<Integer> errorCodes() {
        return Arbitraries.integers().between(300, 699);
    }

    private static Arbitrary<String> text(int maxCharacters) {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\ud7ff').ofMaxLength(maxCharacters);
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    private static Arbitrary<InetSocketAddress> addresses() {
        Arbitrary<InetAddress> ips = Arbitraries.oneOf(
                bytes(4, 4).map(AttributeRoundTripTest::ipv4),
                bytes(16, 16).map(AttributeRoundTripTest::ipv6));
        return Combinators.combine(ips, Arbitraries.integers().between(0, 0xFFFF)).as(InetSocketAddress::new);
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return Inet4Address.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress ipv6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> recordsPermittedBy(Class<?> sealed) {
        return java.util.Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(c -> c.isRecord() ? java.util.stream.Stream.of(c.getSimpleName()) : recordsPermittedBy(c).stream())
                .toList();
    }

    private static ReceivedStunMessage decode(byte[] bytes) {
        StunDecodeResult result = StunDecoder.decode(bytes);
        assertThat(result).isInstanceOf(StunDecodeResult.Decoded.class);
        return ((StunDecodeResult.Decoded) result).received();
    }
}
