package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Invariant checks shared by the model's records. */
final class Values {
    private Values() {
    }

    static String name(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " needs a non-empty name");
        }
        return name;
    }

    /** Dual-stack fields hold at most one value per family, IPv4 first as Kubernetes writes them. */
    static List<IpAddress> addressesPerFamily(List<IpAddress> in, String what) {
        return addressesPerFamily(in, () -> what);
    }

    /**
     * As {@link #addressesPerFamily(List, String)}, the field's name made only for an error: every node of a large
     * plan passes here several times (its withers too), and building the names was most of a node's cost.
     */
    static List<IpAddress> addressesPerFamily(List<IpAddress> in, Supplier<String> what) {
        return perFamily(in, IpAddress::family, what);
    }

    static List<Cidr> cidrsPerFamily(List<Cidr> in, String what) {
        return cidrsPerFamily(in, () -> what);
    }

    /** As {@link #addressesPerFamily(List, Supplier)}, for CIDRs. */
    static List<Cidr> cidrsPerFamily(List<Cidr> in, Supplier<String> what) {
        return perFamily(in, Cidr::family, what);
    }

    private static <T> List<T> perFamily(List<T> in, Function<T, IpFamily> family, Supplier<String> what) {
        if (in == null) {
            throw new NullPointerException(what.get());
        }
        List<T> list = List.copyOf(in);
        if (list.size() > 2 || list.size() == 2 && family.apply(list.get(0)) == family.apply(list.get(1))) {
            throw mixed(join(list), what.get());
        }
        return list;
    }

    private static IllegalArgumentException mixed(String text, String what) {
        return new IllegalArgumentException(what + " '" + text + "' must hold one value, or two of different"
                + " families for dual stack (e.g. 10.96.0.0/12,fd00:96::/108)");
    }

    static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    static <T> T first(List<T> list, IpFamily family, Function<T, IpFamily> familyOf) {
        for (T t : list) {
            if (familyOf.apply(t) == family) {
                return t;
            }
        }
        return null;
    }
}
