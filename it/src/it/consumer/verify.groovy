// After the consumer's `mvn verify`: one Netty version, the quick start ran on both paths, and its body is the
// README's (examples/src/main/java/io/github/cidrguard/examples/QuickStart.java).
def fail = { String why -> throw new AssertionError("consumer: " + why) }

def deps = new File(basedir, "target/runtime-dependencies.txt")
if (!deps.isFile()) fail("no " + deps + ": dependency:list did not run")
def netty = deps.readLines().collect { it.trim() }.findAll { it.startsWith("io.netty:netty-") && !it.startsWith("io.netty:netty-tcnative") }
if (netty.isEmpty()) fail("no Netty artifact resolved at all; the check checks nothing:\n" + deps.text)
def versions = netty.collect { it.split(/\s+/)[0].split(":")[3] }.unique()
if (versions.size() != 1) fail("Netty resolves to " + versions + ":\n" + netty.join("\n"))
println "consumer: " + netty.size() + " Netty artifacts, all at " + versions[0]

def log = new File(basedir, "build.log").text
["module-path (module cidrguard.consumer)", "class-path (unnamed module)"].each { String where ->
    if (!log.contains("quick start ran on the " + where)) fail("the quick start did not run on the " + where)
}
if (log.count("etcd adapter linked: EtcdUnreachableException") != 2) fail("the etcd call did not run twice")

def block = { File f ->
    def t = f.text
    int a = t.indexOf("// README quick start begins"), b = t.indexOf("// README quick start ends")
    if (a < 0 || b < a) fail("no quick start markers in " + f)
    t.substring(a, b).readLines().collect { it.trim() }.join("\n")
}
def sample = new File(cidrguardRoot, "examples/src/main/java/io/github/cidrguard/examples/QuickStart.java")
if (block(sample) != block(new File(basedir, "src/main/java/consumer/QuickStart.java"))) {
    fail("src/main/java/consumer/QuickStart.java differs from the README quick start in " + sample)
}
return true
