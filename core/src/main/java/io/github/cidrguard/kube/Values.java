package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.List;
import java.util.Objects;
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
        List<IpAddress> list = List.copyOf(Objects.requireNonNull(in, what));
        checkFamilies(list.stream().map(IpAddress::family).collect(Collectors.toList()), join(list), what);
        return list;
    }

    static List<Cidr> cidrsPerFamily(List<Cidr> in, String what) {
        List<Cidr> list = List.copyOf(Objects.requireNonNull(in, what));
        checkFamilies(list.stream().map(Cidr::family).collect(Collectors.toList()), join(list), what);
        return list;
    }

    private static void checkFamilies(List<IpFamily> families, String text, String what) {
        if (families.size() > 2 || (families.size() == 2 && families.get(0) == families.get(1))) {
            throw new IllegalArgumentException(what + " '" + text + "' must hold one value, or two of different"
                    + " families for dual stack (e.g. 10.96.0.0/12,fd00:96::/108)");
        }
    }

    static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    static <T> T first(List<T> list, IpFamily family, java.util.function.Function<T, IpFamily> familyOf) {
        for (T t : list) {
            if (familyOf.apply(t) == family) {
                return t;
            }
        }
        return null;
    }
}
