package dev.zonewire.benchmarks.wireguard;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
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
 * Ways to seal a 1420-byte packet in place with ChaCha20-Poly1305 under one key and a fresh counter
 * nonce, to choose the tunnel's: the JDK cipher re-initialised per packet (what the tunnel does),
 * a new JDK cipher per packet, and BouncyCastle's pure-Java AEAD re-initialised per packet.
 * Compare ops/s and, with {@code -prof gc}, bytes allocated per packet. See docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AeadApproachesBenchmark {
    private static final int LENGTH = 1420;

    private final byte[] key = new byte[32];
    private final byte[] buffer = new byte[LENGTH + 16];
    private final byte[] nonce = new byte[12];
    private SecretKeySpec keySpec;
    private Cipher reusedCipher;
    private org.bouncycastle.crypto.modes.ChaCha20Poly1305 bouncyCastle;
    private KeyParameter bouncyCastleKey;
    private long counter;

    @Setup
    public void setUp() throws GeneralSecurityException {
        key[0] = 1;
        keySpec = new SecretKeySpec(key, "ChaCha20");
        reusedCipher = Cipher.getInstance("ChaCha20-Poly1305");
        bouncyCastle = new org.bouncycastle.crypto.modes.ChaCha20Poly1305();
        bouncyCastleKey = new KeyParameter(key);
    }

    @Benchmark
    public byte[] jdkCipherReinitialisedPerPacket() throws GeneralSecurityException {
        reusedCipher.init(Cipher.ENCRYPT_MODE, keySpec, nextNonce());
        reusedCipher.doFinal(buffer, 0, LENGTH, buffer, 0);
        return buffer;
    }

    @Benchmark
    public byte[] jdkCipherCreatedPerPacket() throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(Cipher.ENCRYPT_MODE, keySpec, nextNonce());
        cipher.doFinal(buffer, 0, LENGTH, buffer, 0);
        return buffer;
    }

    @Benchmark
    public byte[] bouncyCastleReinitialisedPerPacket() throws InvalidCipherTextException {
        nextNonce();
        bouncyCastle.init(true, new ParametersWithIV(bouncyCastleKey, nonce));
        int written = bouncyCastle.processBytes(buffer, 0, LENGTH, buffer, 0);
        bouncyCastle.doFinal(buffer, written);
        return buffer;
    }

    private IvParameterSpec nextNonce() {
        counter++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        return new IvParameterSpec(nonce);
    }
}
