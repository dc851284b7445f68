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
