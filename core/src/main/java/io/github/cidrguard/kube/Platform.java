package io.github.cidrguard.kube;

import java.util.Locale;

/** Where the cluster runs; each platform adds its own reserved ranges to the analysis. */
public enum Platform {
    /** Own hardware or VMs without a cloud's reserved ranges (the default). */
    ONPREM,
    /** Amazon Web Services. */
    AWS,
    /** Microsoft Azure. */
    AZURE,
    /** Google Cloud. */
    GCP;

    /** The name as written in a scenario file: {@code onprem}, {@code aws}, {@code azure}, {@code gcp}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
