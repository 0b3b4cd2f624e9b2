package dev.zonewire.stun;

/** STUN and TURN method numbers (RFC 8489, RFC 8656). A method is a 12-bit number. */
public final class StunMethod {
    public static final int BINDING = 0x001;
    public static final int ALLOCATE = 0x003;
    public static final int REFRESH = 0x004;
    public static final int SEND = 0x006;
    public static final int DATA = 0x007;
    public static final int CREATE_PERMISSION = 0x008;
    public static final int CHANNEL_BIND = 0x009;

    public static final int MAX = 0xFFF;

    private StunMethod() {
    }

    /** A lowercase name for logs and metric labels; unknown methods read as "unknown". */
    public static String name(int method) {
        return switch (method) {
            case BINDING -> "binding";
            case ALLOCATE -> "allocate";
            case REFRESH -> "refresh";
            case SEND -> "send";
            case DATA -> "data";
            case CREATE_PERMISSION -> "createpermission";
            case CHANNEL_BIND -> "channelbind";
            default -> "unknown";
        };
    }
}
