package dev.zonewire.stun;

/** The four STUN message classes (RFC 8489 section 5), encoded in bits C1 and C0 of the type. */
public enum StunMessageClass {
    REQUEST(0b00),
    INDICATION(0b01),
    SUCCESS_RESPONSE(0b10),
    ERROR_RESPONSE(0b11);

    private final int bits;

    StunMessageClass(int bits) {
        this.bits = bits;
    }

    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }

    /** The 14-bit message type field for this class and a 12-bit method. */
    public int messageType(int method) {
        return ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F)
                | ((bits & 0b10) << 7) | ((bits & 0b01) << 4);
    }

    static StunMessageClass ofMessageType(int type) {
        int bits = ((type >> 7) & 0b10) | ((type >> 4) & 0b01);
        return values()[bits];
    }

    static int methodOfMessageType(int type) {
        return ((type >> 2) & 0xF80) | ((type >> 1) & 0x070) | (type & 0x00F);
    }
}
