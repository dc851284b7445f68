package io.github.cidrguard.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/** The one strict parser behind {@link IpAddress#parse}, {@link Cidr#parse} and {@link AddressRange#parse}. */
final class Parsing {
    /**
     * IPAddress's defaults accept far too much for a validator (reference/libraries.md §1.2): the empty string is
     * loopback, {@code 010.1.2.3} is octal, {@code 10.1} is a short form, masks and ranges are addresses. These
     * parameters reject all of that. IPv6 keeps its ordinary leading zeros ({@code 2001:0db8::}), which RFC 4291
     * allows and which nobody reads as octal; IPv4 octets and prefix lengths may not have them.
     */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowSingleSegment(false).allowAll(false)
            .allowPrefixOnly(false).allowMask(false)
            .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE)
            .allowWildcardedSeparator(false)
            .getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false)
            .allowPrefixLengthLeadingZeros(false).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowZone(false)
            .allowPrefixLengthLeadingZeros(false).getParentBuilder()
            .toParams();

    private Parsing() {
    }

    static IPAddress parseStrict(String text, String what, String example) {
        if (text == null) {
            throw new AddressFormatException(null, "expected " + what + " such as " + example + ", got null");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                throw new AddressFormatException(text, "'" + text + "' is not " + what
                        + ": it contains white space; write it without spaces, e.g. " + example);
            }
        }
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
}
