#!/bin/sh
# A stand-in for kubectl, for ImportKubectlTest: there is no API server on the build machines. It answers each
# call with a recording of the real kubectl's output (core's import fixtures), or fails as kubectl does.
# STANDIN_DIR: the recordings; STANDIN_MODE: ok | unauthorized | slow; STANDIN_LOG: every call's arguments;
# STANDIN_FLANNEL_CM=yes: kube-flannel.yml's ConfigMap exists.
echo "$*" >> "$STANDIN_LOG"
case "$STANDIN_MODE" in
  unauthorized) echo "error: You must be logged in to the server (Unauthorized)" >&2; exit 1 ;;
  slow) exec sleep 20 ;;
esac
args=" $* "
case "$args" in
  *" get nodes "*) exec cat "$STANDIN_DIR/k3s-nodes.json" ;;
  *" get svc "*) exec cat "$STANDIN_DIR/k3s-services.json" ;;
  *" get pods "*) echo '{"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}}'; exit 0 ;;
  *" get ipaddresspools.metallb.io "*) exec cat "$STANDIN_DIR/metallb-pools.json" ;;
  *" get servicecidrs "*) exec cat "$STANDIN_DIR/servicecidrs.json" ;;
  *" get ciliumloadbalancerippools.cilium.io "*)
    echo 'error: the server doesn'"'"'t have a resource type "ciliumloadbalancerippools"' >&2; exit 1 ;;
  *"-n kube-flannel get cm kube-flannel-cfg "*)
    if [ "$STANDIN_FLANNEL_CM" = yes ]; then exec cat "$STANDIN_DIR/kube-flannel-cfg.json"; fi
    echo 'Error from server (NotFound): configmaps "kube-flannel-cfg" not found' >&2; exit 1 ;;
  *" get cm "*)
    name=$(echo "$args" | sed 's/.* get cm \([^ ]*\) .*/\1/')
    echo "Error from server (NotFound): configmaps \"$name\" not found" >&2; exit 1 ;;
esac
echo "error: unexpected call: $*" >&2
exit 1
