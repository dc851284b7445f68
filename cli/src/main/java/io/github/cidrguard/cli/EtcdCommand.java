package io.github.cidrguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.TerminalText;
import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.etcd.ApplyResult;
import io.github.cidrguard.etcd.Backup;
import io.github.cidrguard.etcd.EtcdSettings;
import io.github.cidrguard.etcd.FlannelEtcd;
import io.github.cidrguard.etcd.LeaseAudit;
import io.github.cidrguard.etcd.RestoreResult;
import io.github.cidrguard.etcd.RewritePlan;
import io.github.cidrguard.etcd.StoredConfig;
import io.github.cidrguard.etcd.StoredLease;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.Cidr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code cidrguard etcd show|check|set-network|restore|watch}: flannel's config and leases in etcd. */
@Command(name = "etcd", mixinStandardHelpOptions = true,
        description = "Read, check and safely rewrite flannel's network config and leases in etcd (v3 API).",
        subcommands = {EtcdCommand.Show.class, EtcdCommand.Check.class, EtcdCommand.SetNetwork.class,
                EtcdCommand.Restore.class, EtcdCommand.Watch.class},
        footer = {"", "Exit codes: 0 fine, 1 ERROR findings (or a refused plan), 2 bad input (flags, files, a backup "
                + "that fails its checks, a stored config flanneld rejects), 3 the outside world (etcd unreachable, "
                + "TLS, auth, permission, conflict, no config stored, an UNKNOWN outcome, a PARTIAL restore).", "",
                "Examples:",
                "  cidrguard etcd show --endpoints https://10.252.158.71:2379 --cacert ca.pem --cert c.pem --key k.pem",
                "  cidrguard etcd check --scenario cluster.yaml",
                "  cidrguard etcd set-network 10.244.0.0/16 --reset-subnets --scenario cluster.yaml",
                "  cidrguard etcd restore cidrguard-backup-coreos.com-network-1234.json"})
final class EtcdCommand implements Runnable {


    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: use etcd show, check, set-network, "
                + "restore or watch");
    }

    static Scenario scenario(Io io, String file) {
        Scenario s = file == null ? null : Scenarios.load(io, file);
        if (s != null && s.subnetManager() == SubnetManager.KUBE) {
            throw new UserInputException(file + ": the scenario is in kube mode (flannel.subnetManager: kube,"
                    + " flanneld --kube-subnet-mgr), so flannel keeps no config or leases in etcd and the etcd"
                    + " commands do not apply; check it with cidrguard check " + file + " and change net-conf.json"
                    + " (the kube-flannel-cfg ConfigMap; k3s: --cluster-cidr), or set flannel.subnetManager: etcd"
                    + " if flanneld really runs against etcd");
        }
        return s;
    }

    static ObjectNode configJson(StoredConfig c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("key", c.key());
        o.put("value", c.value());
        o.put("modRevision", c.modRevision());
        return o;
    }

    static String json(Object tree) {
        try {
            return Json.MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code etcd show}: the config and every lease. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print flannel's config (with its mod revision) and every lease with its value and TTL.",
            footer = {"", "Examples:", "  cidrguard etcd show", "  cidrguard etcd show --format json --prefix /kube-flannel/network"})
    static final class Show implements Callable<Integer> {
        private final Io io;
        @Mixin
        OutputOptions output;
        @Mixin
        EtcdOptions etcd;

        Show(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            try (FlannelEtcd e = FlannelEtcd.open(etcd.settings(io))) {
                io.progress("cidrguard etcd: reading " + e.settings().prefix() + "…");
                Optional<StoredConfig> c = e.findConfig();
                List<StoredLease> leases = e.leases();
                io.progressDone();
                if (output.json()) {
                    ObjectNode o = Json.object();
                    o.put("prefix", e.settings().prefix());
                    if (c.isPresent()) {
                        o.set("config", configJson(c.get()));
                    } else {
                        o.putNull("config");
                    }
                    ArrayNode a = o.putArray("leases");
                    for (StoredLease l : leases) {
                        a.addObject().put("key", l.key()).put("value", l.value()).put("ttl", l.ttlSeconds());
                    }
                    io.out.println(json(o));
                } else {
                    io.out.println(io.bold(e.settings().configKey()) + c.map(x -> " (mod revision " + x.modRevision()
                            + ")").orElse(""));
                    io.out.println("  " + c.map(x -> TerminalText.block(x.value().strip())).orElse(io.yellow("(not set)")));
                    io.out.println(io.bold(e.settings().subnetsPrefix()) + " " + Text.plural(leases.size(), "lease",
                            "leases"));
                    for (StoredLease l : leases) {
                        io.out.println("  " + Text.pad(TerminalText.line(l.name()), 20) + " ttl "
                                + Text.pad(l.ttlSeconds() + " s", 9) + " " + TerminalText.line(l.value().strip()));
                    }
                }
                return Exit.OK;
            }
        }
    }

    /** {@code etcd check}: the stored config's findings against the cluster, and what flanneld does with each lease. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check the stored config against the leases (and a scenario's nodes, LANs and services when "
                    + "given): the findings, and what flanneld would do with each lease on restart.",
            footer = {"", "Examples:", "  cidrguard etcd check", "  cidrguard etcd check --scenario cluster.yaml --strict"})
    static final class Check implements Callable<Integer> {
        private final Io io;
        @Mixin
        OutputOptions output;
        @Mixin
        EtcdOptions etcd;
        @Option(names = "--scenario", paramLabel = "FILE", description = "The cluster (nodes, LANs, services).")
        String scenario;

        Check(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            Scenario s = scenario(io, scenario);
            try (FlannelEtcd e = FlannelEtcd.open(etcd.settings(io))) {
                StoredConfig c = e.readConfig();
                RewritePlan same = e.plan(c.value(), false, s);
                List<LeaseAudit> audit = e.audit(c.value());
                Report report = Report.of(s == null ? e.settings().prefix() : s.name(), same.findings());
                if (output.json()) {
                    ObjectNode o = Json.object();
                    o.set("config", configJson(c));
                    o.set("report", readTree(report.toJson()));
                    ArrayNode a = o.putArray("leases");
                    audit.forEach(x -> a.addObject().put("key", x.lease().key()).put("fate", x.fate().name())
                            .put("reason", x.reason()));
                    io.out.println(json(o));
                } else {
                    io.out.println(io.bold(c.key()) + " (mod revision " + c.modRevision() + "): "
                            + TerminalText.block(c.value().strip()));
                    ReportView.print(report, io);
                    io.out.println();
                    io.out.println(io.bold("leases") + ":");
                    for (LeaseAudit x : audit) {
                        io.out.println("  " + Text.pad(TerminalText.line(x.lease().name()), 20) + " "
                                + Text.pad(x.fate().name(), 18) + " " + TerminalText.line(x.reason()));
                    }
                }
                return ReportView.exitCode(report, output.strict);
            }
        }
    }

    /** {@code etcd set-network CIDR}: plan, back up, apply as one guarded transaction. */
    @Command(name = "set-network", mixinStandardHelpOptions = true,
            description = {"Rewrite the Network of the stored config (everything else kept), optionally deleting every "
                    + "lease in the same transaction, guarded by the config's mod revision. A backup of the config and "
                    + "every lease is written first. A plan with ERROR findings is refused unless --force."},
            footer = {"", "Then restart flanneld on every node.", "", "Examples:",
                    "  cidrguard etcd set-network 10.244.0.0/16 --reset-subnets --dry-run",
                    "  cidrguard etcd set-network 10.244.0.0/16 --reset-subnets --scenario cluster.yaml "
                            + "--backup before.json"})
    static final class SetNetwork implements Callable<Integer> {
        private final Io io;
        @Mixin
        OutputOptions output;
        @Mixin
        EtcdOptions etcd;
        @Parameters(index = "0", paramLabel = "CIDR", description = "The new Network, e.g. 10.244.0.0/16.")
        String network;
        @Option(names = "--reset-subnets", description = "Also delete every lease under <prefix>/subnets/.")
        boolean reset;
        @Option(names = "--scenario", paramLabel = "FILE", description = "Check the plan against this cluster, as it "
                + "will be after the change: nodes re-leased from the new Network, kube-proxy's clusterCIDR on it.")
        String scenario;
        @Option(names = "--force", description = "Apply even with ERROR findings.")
        boolean force;
        @Option(names = "--dry-run", description = "Print the plan, write nothing.")
        boolean dryRun;
        @Option(names = "--backup", paramLabel = "FILE",
                description = "Backup file, which must not exist (default: a new file in the current directory, "
                        + "cidrguard-backup-<prefix>-<cluster ID>-r<revision>-<UTC time>.json; never overwritten).")
        Path backup;
        @Option(names = "--backup-dir", paramLabel = "DIR", description = "Directory for the backup under its unique "
                + "default name (default: the current directory).")
        Path backupDir;

        SetNetwork(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            if (backup != null && backupDir != null) {
                throw new UserInputException("--backup FILE and --backup-dir DIR exclude each other: give the file, or"
                        + " the directory for a uniquely named one");
            }
            Cidr cidr = Cidr.parse(network);
            Scenario given = scenario(io, scenario);
            // The cluster after the change: nodes re-lease from the new Network, kube-proxy's clusterCIDR follows.
            Scenario s = given == null || given.flannel().isEmpty() ? given : Replan.withNetwork(given, cidr);
            try (FlannelEtcd e = FlannelEtcd.open(etcd.settings(io))) {
                RewritePlan plan = e.planNetwork(cidr, reset, s);
                Report report = Report.of(s == null ? e.settings().prefix() : s.name(), plan.findings());
                boolean refused = plan.hasErrors() && !force;
                ApplyResult result = null;
                if (!dryRun && !refused) {
                    RewritePlan p = force ? plan.force() : plan;
                    result = backup != null ? e.apply(p, backup)
                            : e.applyWithBackupIn(p, backupDir != null ? backupDir : Path.of(""));
                }
                print(plan, report, refused, result);
                return refused ? Exit.FINDINGS : ReportView.exitCode(report, output.strict) == Exit.FINDINGS && !force
                        ? Exit.FINDINGS : Exit.OK;
            }
        }

        private void print(RewritePlan plan, Report report, boolean refused, ApplyResult result) {
            if (output.json()) {
                ObjectNode o = Json.object();
                o.put("newConfig", plan.newConfig());
                o.put("resetSubnets", plan.resetSubnets());
                o.put("expectedModRevision", plan.expectedModRevision());
                o.putPOJO("operations", plan.operations());
                o.set("report", readTree(report.toJson()));
                ArrayNode inc = o.putArray("incompatibleLeases");
                plan.incompatibleLeases().forEach(x -> inc.addObject().put("key", x.lease().key())
                        .put("reason", x.reason()));
                o.put("applied", result != null);
                o.put("refused", refused);
                if (result != null) {
                    o.put("revision", result.revision());
                    o.put("subnetsDeleted", result.subnetsDeleted());
                    o.put("backup", result.backup().toString());
                    o.putPOJO("leasesKept", result.leasesKept());
                }
                io.out.println(json(o));
                return;
            }
            io.out.println(io.bold("plan") + ": " + TerminalText.block(plan.newConfig()));
            plan.operations().forEach(op -> io.out.println("  " + TerminalText.block(op)));
            if (!plan.incompatibleLeases().isEmpty()) {
                io.out.println(Text.plural(plan.incompatibleLeases().size(), "lease", "leases") + " flanneld will "
                        + "delete and re-lease:");
                plan.incompatibleLeases().forEach(x -> io.out.println("  " + TerminalText.line(x.lease().name()) + ": "
                        + TerminalText.line(x.reason())));
            }
            for (Finding f : report.findings()) {
                io.out.println(ReportView.severity(f.severity(), io) + "  " + f.code() + f.range().map(r -> "  " + r)
                        .orElse("") + ": " + f.message());
            }
            if (refused) {
                io.out.println(io.red("refused") + ": the plan has ERROR findings; fix them or pass --force");
            } else if (result == null) {
                io.out.println(io.yellow("dry run") + ": nothing written");
            } else {
                io.out.println(io.green("applied") + " at revision " + result.revision() + ", " + result.subnetsDeleted()
                        + " leases deleted; backup " + result.backup() + ". Restart flanneld on every node.");
                if (!result.leasesKept().isEmpty()) {
                    io.out.println(io.yellow("kept") + " " + Text.plural(result.leasesKept().size(), "lease", "leases")
                            + " that changed after the backup (the backup does not hold their current value): "
                            + TerminalText.line(String.join(", ", result.leasesKept())));
                }
            }
        }
    }

    /** {@code etcd restore FILE}: put a backup back. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put a backup written by set-network back: afterwards the config and the keys under "
                    + "<prefix>/subnets* are exactly the backup's.",
                    "The file is checked first (checksum, keys inside the prefix, no duplicates, the config one "
                    + "flanneld accepts) and a refusal writes nothing (exit 2). The state it replaces is backed up "
                    + "first. Only the differences are written, each key guarded by the mod revision just read, the "
                    + "config last; an interrupted restore (exit 3, PARTIAL) is completed by running it again."},
            footer = {"", "Examples:", "  cidrguard etcd restore cidrguard-backup-coreos.com-network-1234.json",
                    "  cidrguard etcd restore old.json --to-prefix /kube-flannel/network"})
    static final class Restore implements Callable<Integer> {
        private final Io io;
        @Mixin
        OutputOptions output;
        @Mixin
        EtcdOptions etcd;
        @Parameters(index = "0", paramLabel = "FILE", description = "The backup file.")
        Path file;
        @Option(names = "--force", description = "Restore even a config flanneld rejects (or none); its findings "
                + "are shown.")
        boolean force;
        @Option(names = "--to-prefix", paramLabel = "PREFIX", description = "Restore a backup of another prefix "
                + "under PREFIX (its keys are moved there); replaces --prefix.")
        String toPrefix;
        @Option(names = "--backup-dir", paramLabel = "DIR", description = "Where the backup of the state the restore "
                + "replaces goes (default: the directory of FILE).")
        Path backupDir;

        Restore(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            if (!java.nio.file.Files.exists(file)) {
                throw new UserInputException(file + ": no such file; give a backup written by etcd set-network");
            }
            if (toPrefix != null) {
                etcd.prefix = toPrefix;
            }
            // The file is checked before etcd is dialled: a bad backup is bad input (exit 2) even with etcd down.
            Backup b = Backup.read(file);
            EtcdSettings settings = etcd.settings(io);
            if (toPrefix == null && !b.prefix().equals(settings.prefix())) {
                throw new UserInputException("backup file " + file + " is for prefix " + b.prefix() + " but the target"
                        + " prefix is " + settings.prefix() + "; give --prefix " + b.prefix() + " to restore it where it"
                        + " came from, or --to-prefix " + settings.prefix() + " to move it there (nothing was written)");
            }
            try (FlannelEtcd e = FlannelEtcd.open(settings)) {
                Path dir = backupDir != null ? backupDir : file.toAbsolutePath().getParent();
                RestoreResult r = e.restore(file, dir, force, toPrefix != null);
                Report report = Report.of(e.settings().prefix(), r.findings());
                if (output.json()) {
                    ObjectNode o = Json.object();
                    o.put("revision", r.revision());
                    o.put("backup", file.toString());
                    o.put("leasesWritten", r.leasesWritten());
                    o.put("leasesDeleted", r.leasesDeleted());
                    o.put("configWritten", r.configWritten());
                    o.put("unchanged", r.unchanged());
                    o.put("stateBefore", r.stateBefore().map(Path::toString).orElse(null));
                    o.set("report", readTree(report.toJson()));
                    io.out.println(json(o));
                } else {
                    for (Finding f : report.findings()) {
                        io.out.println(ReportView.severity(f.severity(), io) + "  " + f.code() + ": "
                                + TerminalText.line(f.message()));
                    }
                    if (r.nothingToDo()) {
                        io.out.println(io.green("restored") + ": etcd already holds " + file + " (" + r.unchanged()
                                + " leases); nothing written");
                    } else {
                        io.out.println(io.green("restored") + " " + file + " at revision " + r.revision() + ": "
                                + r.leasesWritten() + " leases written, " + r.leasesDeleted() + " deleted, config "
                                + (r.configWritten() ? "written" : "unchanged") + "; the state before is in "
                                + r.stateBefore().map(Path::toString).orElse("?") + ". Restart flanneld on every node.");
                    }
                }
                return Exit.OK;
            }
        }
    }

    /** {@code etcd watch}: every change of the config, re-validated. */
    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Watch flannel's config: print the current state, then every change with its findings, "
                    + "until interrupted (or --count events, the first being the current state). Losing one member "
                    + "of several is survived; etcd unreachable or not answering for --timeout ends it with exit 3.",
            footer = {"", "Examples:", "  cidrguard etcd watch", "  cidrguard etcd watch --format json --count 1"})
    static final class Watch implements Callable<Integer> {
        private final Io io;
        @Mixin
        OutputOptions output;
        @Mixin
        EtcdOptions etcd;
        @Option(names = "--count", paramLabel = "N", description = "Stop after N events (the first is the current "
                + "state).")
        int count;

        Watch(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            if (count < 0) {
                throw new UserInputException("--count " + count + " must be positive (events to print, the first is "
                        + "the current state), or left out to watch until interrupted");
            }
            CountDownLatch done = new CountDownLatch(count > 0 ? count : Integer.MAX_VALUE);
            Object lock = new Object();
            java.util.concurrent.atomic.AtomicReference<io.github.cidrguard.etcd.EtcdException> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            CountDownLatch stop = new CountDownLatch(1);
            try (FlannelEtcd e = FlannelEtcd.open(etcd.settings(io))) {
                AutoCloseable w = e.watch(new io.github.cidrguard.etcd.ConfigListener() {
                    @Override
                    public void onChange(io.github.cidrguard.etcd.ConfigChange c) {
                        // Events already on their way when the Nth was printed may arrive before this thread's close
                        // of the watch takes effect: --count N means N lines, not N or more.
                        if (done.getCount() == 0) {
                            return;
                        }
                        synchronized (lock) {
                            Report r = Report.of(e.settings().prefix(), c.findings());
                            if (output.json()) {
                                ObjectNode o = Json.object();
                                o.put("revision", c.revision());
                                o.put("config", c.config().map(StoredConfig::value).orElse(null));
                                o.set("report", readTree(r.toJson()));
                                io.out.println(json(o));
                            } else {
                                io.out.println(io.bold("revision " + c.revision()) + ": " + c.config()
                                        .map(x -> TerminalText.block(x.value().strip())).orElse("(config deleted)") + "  "
                                        + ReportView.summary(r, io));
                                r.findings().forEach(f -> io.out.println("  " + ReportView.severity(f.severity(), io)
                                        + "  " + f.code() + f.range().map(x -> "  " + x).orElse("")));
                            }
                            io.out.flush();
                        }
                        done.countDown();
                        if (done.getCount() == 0) {
                            stop.countDown();
                        }
                    }

                    @Override
                    public void onError(io.github.cidrguard.etcd.EtcdException error) {
                        failed.set(error);
                        stop.countDown();
                    }
                });
                try (w) {
                    while (!stop.await(1, TimeUnit.SECONDS)) {
                        // until interrupted, --count events or a failure
                    }
                }
            }
            if (failed.get() != null) {
                throw failed.get();
            }
            return Exit.OK;
        }
    }

    static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
