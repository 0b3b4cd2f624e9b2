package dev.zonewire.benchmarks.wireguard;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One X25519 Diffie-Hellman on raw keys, as a handshake does eight of them: through the JDK's
 * XDH provider (what the tunnel uses) and through BouncyCastle's rfc7748 code, for comparison.
 * See docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class X25519ApproachesBenchmark {
    private final byte[] privateKey = new byte[32];
    private final byte[] publicKey = new byte[32];
    private final byte[] shared = new byte[32];
    private KeyFactory keys;
    private KeyAgreement agreement;
    private BigInteger u;

    @Setup
    public void setUp() throws GeneralSecurityException {
        for (int i = 0; i < 32; i++) {
            privateKey[i] = (byte) (i * 7 + 1);
        }
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, publicKey, 0);
        keys = KeyFactory.getInstance("XDH");
        agreement = KeyAgreement.getInstance("X25519");
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = publicKey[31 - i];
        }
        u = new BigInteger(1, bigEndian);
    }

    @Benchmark
    public byte[] jdkKeyAgreement() throws GeneralSecurityException {
        agreement.init(keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey)));
        agreement.doPhase(keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u)), true);
        return agreement.generateSecret();
    }

    @Benchmark
    public byte[] bouncyCastleRfc7748() {
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(privateKey, 0, publicKey, 0, shared, 0);
        return shared;
    }
}
