package io.github.cidrguard.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/** The one strict parser behind {@link IpAddress#parse}, {@link Cidr#parse} and {@link AddressRange#parse}. */
final class Parsing {
    /**
     * IPAddress's defaults accept far too much for a validator: the empty string is
     * loopback, {@code 010.1.2.3} is octal, {@code 10.1} is a short form, masks and ranges are addresses. These
     * parameters reject all of that. IPv6 keeps its ordinary leading zeros ({@code 2001:0db8::}), which RFC 4291
     * allows and which nobody reads as octal; IPv4 octets and prefix lengths may not have them. The IPv4 part of a
     * mixed IPv6 address ({@code ::ffff:10.0.0.0}) is held to the same IPv4 rules: it has its own parameters in
     * IPAddress, which by default read {@code 010} as octal and accept short forms.
     *
     * <p>IPAddress's own "no prefix length leading zeros" option also refuses the prefix length {@code 0} itself
     * ({@code 0.0.0.0/0}, {@code ::/0}), so prefix lengths are checked by {@link #checkPrefixLength} instead.
     */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowSingleSegment(false).allowAll(false)
            .allowPrefixOnly(false).allowMask(false)
            .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE)
            .allowWildcardedSeparator(false)
            .getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false)
            .allowPrefixLengthLeadingZeros(true).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowZone(false).allow_mixed_inet_aton(false)
            .allowPrefixLengthLeadingZeros(true)
            .getEmbeddedIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false)
            .getEmbeddedIPv4AddressParentBuilder().getParentBuilder()
            .toParams();

    private Parsing() {
    }

    /*
     * The fast path. A scenario of 65 536 nodes holds a few hundred thousand addresses and CIDRs, and IPAddress's
     * general parser (every format, every option, a section object per address) was the largest cost of loading one.
     * Nearly every text is the plain form: four decimal octets without leading zeros, and for a CIDR a slash and a
     * prefix length. Those are read here; anything else -- IPv6, an octet over 255, a leading zero, a short form,
     * white space, a zone, a range -- returns "not plain" and goes through IPAddress, which accepts or refuses it with
     * its own message. So the fast path only ever decides texts the strict parser accepts, with the same value
     * (ParsingFastPathTest checks that on every generated input).
     */

    /**
     * The value of {@code text[from, to)} when it is a plain dotted quad (four octets of 1 to 3 decimal digits, 0 to
     * 255, no leading zero), else -1.
     */
    static long plainIpv4(String text, int from, int to) {
        long value = 0;
        int octets = 0;
        int i = from;
        while (octets < 4) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || digits > 1 && text.charAt(start) == '0') {
                return -1;
            }
            value = value << 8 | octet;
            octets++;
            if (octets < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? value : -1;
    }

    /** The prefix length {@code text[from, to)} when it is plain decimal 0 to {@code max} (no leading zero), else -1. */
    static int plainPrefixLength(String text, int from, int to, int max) {
        int n = to - from;
        if (n < 1 || n > 3 || n > 1 && text.charAt(from) == '0') {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    static IPAddress parseStrict(String text, String what, String example) {
        if (text == null) {
            throw new AddressFormatException(null, "expected " + what + " such as " + example + ", got null");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i))) {
                throw new AddressFormatException(text, "'" + text + "' is not " + what
                        + ": it contains white space; write it without spaces, e.g. " + example);
            }
        }
        int zone = text.indexOf('%');
        if (zone >= 0) {
            throw new AddressFormatException(text, "'" + text + "' is not " + what + ": it has a zone ("
                    + text.substring(zone) + "); zones name an interface, not address space; write it without, e.g. "
                    + example);
        }
        checkPrefixLength(text, what, example);
        try {
            return new IPAddressString(text, STRICT).toAddress();
        } catch (AddressStringException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int at = reason.indexOf(" IP Address error: ");
            if (at >= 0) {
                reason = reason.substring(at + " IP Address error: ".length());
            }
            throw new AddressFormatException(text, "'" + text + "' is not " + what + ": " + reason
                    + "; write it like " + example);
        }
    }

    /** Refuses a prefix length written with a leading zero ({@code /016}, {@code /00}); {@code /0} itself is fine. */
    private static void checkPrefixLength(String text, String what, String example) {
        int slash = text.lastIndexOf('/');
        String length = slash < 0 ? "" : text.substring(slash + 1);
        if (length.length() > 1 && length.charAt(0) == '0' && length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new AddressFormatException(text, "'" + text + "' is not " + what + ": the prefix length " + length
                    + " starts with zero; write it like " + example);
        }
    }
}
