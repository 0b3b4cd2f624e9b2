package dev.zonewire.relay;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The relay's nonces. Minting one stores nothing: a nonce is its mint time and a MAC over that
 * time, written as a UUID, so a flood of unauthenticated requests cannot grow any table. The
 * time's lowest 16 bits (65 µs) hold a serial number instead, so that nonces minted at the same
 * instant differ: otherwise a nonce used up at an instant would be minted again at that instant
 * (a virtual clock stands still between events), and its client could never authenticate. Each
 * nonce authorises {@value #USES} requests and expires after the configured lifetime. Use counts
 * are only recorded for requests that passed authentication, in a table of bounded size.
 */
final class Nonces {
    static final int USES = 100;
    private static final long SERIAL_BITS = 0xFFFF;

    enum Verdict { UNPARSEABLE, STALE, USABLE }

    private final Mac mac;
    private final long lifetimeNanos;
    private final int capacity;
    private final Map<UUID, Integer> remainingUses = new LinkedHashMap<>();
    private long serial;

    Nonces(byte[] key, long lifetimeNanos, int capacity) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute HmacSHA256", e);
        }
        this.lifetimeNanos = lifetimeNanos;
        this.capacity = capacity;
    }

    String mint(long nowNanos) {
        long stamp = (nowNanos & ~SERIAL_BITS) | (serial++ & SERIAL_BITS);
        return new UUID(stamp, tag(stamp)).toString();
    }

    Verdict check(String text, long nowNanos) {
        UUID nonce = parse(text);
        if (nonce == null) {
            return Verdict.UNPARSEABLE;
        }
        long stamp = nonce.getMostSignificantBits();
        if (nonce.getLeastSignificantBits() != tag(stamp) || !isFresh(stamp, nowNanos)) {
            return Verdict.STALE;
        }
        Integer remaining = remainingUses.get(nonce);
        return remaining != null && remaining == 0 ? Verdict.STALE : Verdict.USABLE;
    }

    /** Records one use of a nonce that {@link #check} found usable, by an authenticated request. */
    void consume(String text, long nowNanos) {
        UUID nonce = parse(text);
        Integer remaining = remainingUses.remove(nonce);
        remainingUses.put(nonce, (remaining == null ? USES : remaining) - 1);
        Iterator<Map.Entry<UUID, Integer>> oldest = remainingUses.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<UUID, Integer> entry = oldest.next();
            if (remainingUses.size() <= capacity && isFresh(entry.getKey().getMostSignificantBits(), nowNanos)) {
                break;
            }
            oldest.remove();
        }
    }

    int tracked() {
        return remainingUses.size();
    }

    private boolean isFresh(long stamp, long nowNanos) {
        long age = nowNanos - (stamp & ~SERIAL_BITS);
        return age >= 0 && age < lifetimeNanos;
    }

    private long tag(long stamp) {
        byte[] digest = mac.doFinal(ByteBuffer.allocate(8).putLong(stamp).array());
        return ByteBuffer.wrap(digest).getLong();
    }

    /** Accepts the hyphenated form (either case) and 32 plain hex digits, as the reference's UUID parser does. */
    static UUID parse(String text) {
        String hex;
        if (text.length() == 36) {
            if (text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-' || text.charAt(23) != '-') {
                return null;
            }
            hex = text.substring(0, 8) + text.substring(9, 13) + text.substring(14, 18) + text.substring(19, 23)
                    + text.substring(24);
        } else if (text.length() == 32) {
            hex = text;
        } else {
            return null;
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return null;
            }
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }
}
