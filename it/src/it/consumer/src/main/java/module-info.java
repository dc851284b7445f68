/** The consumer as a named module: it reads cidrguard's API packages and nothing else. */
module cidrguard.consumer {
    requires io.github.cidrguard;
    requires io.github.cidrguard.etcd;
}
