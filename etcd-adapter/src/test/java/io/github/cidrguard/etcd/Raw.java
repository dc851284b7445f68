package io.github.cidrguard.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A plain jetcd client for setting up and checking etcd state in the ITs, independent of the adapter. */
final class Raw implements AutoCloseable {

    static final String PREFIX = "/coreos.com/network";
    static final String CONFIG = PREFIX + "/config";
    static final String SUBNETS = PREFIX + "/subnets/";

    private final Client client;

    Raw(EtcdCluster c) {
        var b = Client.builder().endpoints(c.endpoints().toArray(String[]::new)).waitForReady(false);
        if (c.endpoints().get(0).startsWith("https")) {
            try {
                b.sslContext(s -> s.trustManager(c.certs().resolve("ca.crt").toFile())
                        .keyManager(c.certs().resolve("client.crt").toFile(), c.certs().resolve("client.key").toFile()));
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException(e);
            }
        }
        this.client = b.build();
    }

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** flannel's exact lease value (flannel.md §3.2, vxlan). */
    static String leaseValue(String publicIp, String mac) {
        return "{\"PublicIP\":\"" + publicIp + "\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\""
                + mac + "\"}}";
    }

    /**
     * Puts one key. Right after a member is killed the client may still pick it and get "connection refused"; such a
     * request never reached etcd, so it is sent again (a put whose answer was lost otherwise is not: it may have
     * committed, and a second put would add a revision the tests count).
     */
    void put(String key, String value) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                get(client.getKVClient().put(bs(key), bs(value)));
                return;
            } catch (IllegalStateException e) {
                if (!neverSent(e) || System.nanoTime() > giveUp) {
                    throw e;
                }
                pause(e);
            }
        }
    }

    /**
     * Puts {@code value} at {@code key} exactly once, however often the request must be sent: a transaction that
     * writes only while the key holds something else. Right after a member is killed a request can fail with
     * "UNAVAILABLE: io exception" after it was sent (it may have committed), which {@link #put} cannot resend; this
     * one can, because a resend of a committed write finds the value there and writes nothing. The value must differ
     * from the key's current one.
     */
    void putOnce(String key, String value) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                get(client.getKVClient().txn()
                        .If(new io.etcd.jetcd.op.Cmp(bs(key), io.etcd.jetcd.op.Cmp.Op.NOT_EQUAL,
                                io.etcd.jetcd.op.CmpTarget.value(bs(value))))
                        .Then(io.etcd.jetcd.op.Op.put(bs(key), bs(value), PutOption.DEFAULT))
                        .commit());
                // succeeded: written now; failed compare: an earlier attempt's write is there
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                pause(e);
            }
        }
    }

    private static boolean neverSent(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static void pause(IllegalStateException e) {
        try {
            Thread.sleep(200);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** Puts with a fresh etcd lease of {@code ttl} seconds, as flanneld does (one lease per key). */
    void putWithTtl(String key, String value, long ttl) {
        long id = get(client.getLeaseClient().grant(ttl)).getID();
        get(client.getKVClient().put(bs(key), bs(value), PutOption.builder().withLeaseId(id).build()));
    }

    /** Many keys without leases, pipelined. */
    void putAll(Map<String, String> kvs) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (var e : kvs.entrySet()) {
            fs.add(client.getKVClient().put(bs(e.getKey()), bs(e.getValue())));
            if (fs.size() == 500) {
                get(CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)));
                fs.clear();
            }
        }
        get(CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)));
    }

    /**
     * key to value of everything under the prefix, in key order. A read is retried for a while: right after a
     * member is killed the client's channel to it may report "channel closed" once, and what the tests check is the
     * data, not this read.
     */
    Map<String, String> dump(String prefix) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return dumpOnce(prefix);
            } catch (IllegalStateException e) {
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                pause(e);
            }
        }
    }

    private Map<String, String> dumpOnce(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : get(client.getKVClient().get(bs(prefix), GetOption.builder().isPrefix(true).build())).getKvs()) {
            out.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Same, at an older revision. */
    Map<String, String> dumpAt(String prefix, long revision) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : get(client.getKVClient().get(bs(prefix),
                GetOption.builder().isPrefix(true).withRevision(revision).build())).getKvs()) {
            out.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    long modRevision(String key) {
        var kvs = get(client.getKVClient().get(bs(key))).getKvs();
        return kvs.isEmpty() ? 0 : kvs.get(0).getModRevision();
    }

    void deletePrefix(String prefix) {
        get(client.getKVClient().delete(bs(prefix), io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()));
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
