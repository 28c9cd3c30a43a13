package io.gridpush.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IP address with a prefix length: {@code 10.0.0.0/8}, {@code ::1/128}; a bare address stands for itself. */
public final class AddressRange {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private final byte[] network;
    private final int bits;

    private AddressRange(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** Parses {@code address[/bits]}; throws IllegalArgumentException naming what is wrong. */
    public static AddressRange parse(String text) {
        String[] parts = text.trim().split("/", 2);
        InetAddress address = literal(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + parts[0]);
        }
        byte[] bytes = address.getAddress();
        int bits;
        try {
            bits = parts.length == 1 ? bytes.length * 8 : Integer.parseInt(parts[1]);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("not a prefix length: " + parts[1]);
        }
        if (bits < 0 || bits > bytes.length * 8) {
            throw new IllegalArgumentException("prefix out of range: " + text);
        }
        return new AddressRange(bytes, bits);
    }

    static boolean isRange(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException x) {
            return false;
        }
    }

    /** An IP address literal, never a name: parsing one must not cost a DNS lookup. Null if {@code text} is not one. */
    public static InetAddress literal(String text) {
        if (!IP_LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException x) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < bits; ++bit) {
            int mask = 0x80 >> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
