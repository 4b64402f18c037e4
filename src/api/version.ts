/** The Kubernetes version Coxswain speaks: what the gateway's `/version` says and what node agents report as kubelet. */
export const KUBERNETES_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0-coxswain" } as const;
