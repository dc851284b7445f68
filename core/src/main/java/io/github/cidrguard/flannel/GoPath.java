package io.github.cidrguard.flannel;

import java.util.ArrayDeque;
import java.util.Deque;

/** Go's {@code path.Join} and {@code path.Clean} (slash-separated, purely lexical), as flannel builds etcd keys. */
final class GoPath {
    private GoPath() {
    }

    /** {@code path.Join}: the non-empty elements joined with {@code /} and cleaned; "" when all are empty. */
    static String join(String... elements) {
        StringBuilder sb = new StringBuilder();
        for (String e : elements) {
            if (e == null || e.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(e);
        }
        return sb.length() == 0 ? "" : clean(sb.toString());
    }

    /**
     * {@code path.Clean}: repeated slashes collapse, {@code .} elements go, {@code ..} removes the element before it
     * (at the root it is dropped), a trailing slash goes; the empty result is {@code .} (or {@code /} when rooted).
     */
    static String clean(String p) {
        if (p.isEmpty()) {
            return ".";
        }
        boolean rooted = p.charAt(0) == '/';
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(seg);
        }
        String body = String.join("/", parts);
        if (rooted) {
            return "/" + body;
        }
        return body.isEmpty() ? "." : body;
    }
}
