#!/usr/bin/env bash
# The full test suite: unit tests, jqwik properties, and the integration tests (*IT) against a real etcd and the
# kernel lab, and the consumer project (it/). Installs what the tests need from Debian's packages when it is missing
# (needs root or sudo). Maven is the wrapper's (./mvnw, pinned in .mvn/wrapper) unless MVN names another one; only a
# JDK 17 is needed. Batch mode and not quiet: CI reads surefire's "Tests run:" lines.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# the kernel lab (examples, LabIT): namespaces, vxlan, bridges, iptables-restore, ping, TCP listeners
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v iptables-restore >/dev/null 2>&1 || need+=(iptables)
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v sysctl >/dev/null 2>&1 || need+=(procps)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "test.sh: installing ${need[*]} from Debian's packages" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

exec "${MVN:-./mvnw}" -B -ntp verify "$@"
