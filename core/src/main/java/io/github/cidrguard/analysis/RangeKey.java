package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;

/** Sort key for a finding's range text: by address range where it parses, else by text after all addresses. */
record RangeKey(AddressRange range, String text) implements Comparable<RangeKey> {
    static RangeKey of(String text) {
        try {
            return new RangeKey(text.isEmpty() ? null : AddressRange.parse(text), text);
        } catch (IllegalArgumentException e) {
            return new RangeKey(null, text);
        }
    }

    @Override
    public int compareTo(RangeKey o) {
        if (range != null && o.range != null) {
            int c = range.compareTo(o.range);
            return c != 0 ? c : text.compareTo(o.text);
        }
        if (range != null || o.range != null) {
            return range != null ? -1 : 1;
        }
        return text.compareTo(o.text);
    }
}
