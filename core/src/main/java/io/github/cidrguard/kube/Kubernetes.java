package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kubernetes side of the plan: the service CIDRs ({@code --service-cluster-ip-range}), the cluster DNS address,
 * kube-proxy and the services.
 *
 * @param serviceCidrs one per family, the primary first
 * @param clusterDns kubelet's {@code clusterDNS}, one per family
 * @param kubeProxy kube-proxy's settings, empty when unknown
 * @param services the services
 * @param controllerManager kube-controller-manager's node IPAM settings, empty when unknown
 */
public record Kubernetes(List<Cidr> serviceCidrs, List<IpAddress> clusterDns, Optional<KubeProxy> kubeProxy,
                         List<Service> services, Optional<ControllerManager> controllerManager) {
    /** Checks one value per family and copies the lists. */
    public Kubernetes {
        serviceCidrs = Values.cidrsPerFamily(serviceCidrs, "serviceCidr");
        clusterDns = Values.addressesPerFamily(clusterDns, "clusterDns");
        Objects.requireNonNull(kubeProxy, "kubeProxy");
        services = List.copyOf(services);
        Objects.requireNonNull(controllerManager, "controllerManager");
    }

    /** Without kube-controller-manager settings, as the section was before they were modelled. */
    public Kubernetes(List<Cidr> serviceCidrs, List<IpAddress> clusterDns, Optional<KubeProxy> kubeProxy,
                      List<Service> services) {
        this(serviceCidrs, clusterDns, kubeProxy, services, Optional.empty());
    }

    /** Nothing known: no service CIDR, DNS, kube-proxy, services or controller manager. */
    public static Kubernetes empty() {
        return new Kubernetes(List.of(), List.of(), Optional.empty(), List.of());
    }

    /** The service CIDR of a family, if set. */
    public Optional<Cidr> serviceCidr(IpFamily family) {
        return Optional.ofNullable(Values.first(serviceCidrs, family, Cidr::family));
    }

    /** A copy with one service CIDR. */
    public Kubernetes withServiceCidr(Cidr serviceCidr) {
        return withServiceCidrs(List.of(serviceCidr));
    }

    /** A copy with these service CIDRs (one per family, the primary first). */
    public Kubernetes withServiceCidrs(List<Cidr> newServiceCidrs) {
        return new Kubernetes(newServiceCidrs, clusterDns, kubeProxy, services, controllerManager);
    }

    /** A copy with one cluster DNS address. */
    public Kubernetes withClusterDns(IpAddress dns) {
        return new Kubernetes(serviceCidrs, List.of(dns), kubeProxy, services, controllerManager);
    }

    /** A copy with these cluster DNS addresses. */
    public Kubernetes withClusterDns(List<IpAddress> dns) {
        return new Kubernetes(serviceCidrs, dns, kubeProxy, services, controllerManager);
    }

    /** A copy with these kube-proxy settings. */
    public Kubernetes withKubeProxy(KubeProxy newKubeProxy) {
        return new Kubernetes(serviceCidrs, clusterDns, Optional.of(newKubeProxy), services, controllerManager);
    }

    /** A copy with these services. */
    public Kubernetes withServices(List<Service> newServices) {
        return new Kubernetes(serviceCidrs, clusterDns, kubeProxy, newServices, controllerManager);
    }

    /** A copy with these kube-controller-manager settings. */
    public Kubernetes withControllerManager(ControllerManager newControllerManager) {
        return new Kubernetes(serviceCidrs, clusterDns, kubeProxy, services, Optional.of(newControllerManager));
    }
}
