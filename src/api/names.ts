/**
 * Object names and namespaces. Namespaces, Services, StatefulSets and Nodes are named by DNS-1123 labels; other kinds, as in
 * Kubernetes, by DNS-1123 subdomains (labels joined by dots, at most 253 characters: `kube-root-ca.crt`, a lease
 * `my-operator.example.com`). A name is one NATS subject token with its dots written as `_` (no name has one), see
 * `nameToken` in src/events/subjects.ts.
 */
import { z } from "zod";

/** The DNS-1123 label pattern. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The DNS-1123 subdomain pattern. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The apiserver's words for a name that must be a DNS-1123 label (a namespace's, a StatefulSet's, a node's) and is not. */
const LABEL_WORDS = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const SUBDOMAIN_WORDS = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const invalid = (words: string) => ({ error: (issue: { input?: unknown }) => `Invalid value: ${JSON.stringify(issue.input)}: ${words}` });

/** The name of an object: a DNS-1123 subdomain, in the apiserver's words when it is not one. */
export const ObjectName = z.string().max(253, "must be no more than 253 characters").regex(DNS_SUBDOMAIN, invalid(SUBDOMAIN_WORDS));

/** A DNS-1123 label (a namespace's, a node's or a StatefulSet's name, a container's), in the apiserver's words when it is not one. */
export const DnsLabel = z.string().max(63, "must be no more than 63 characters").regex(DNS_LABEL, invalid(LABEL_WORDS));

/** A Service's name: a DNS-1035 label (a letter first), in the apiserver's words when it is not one. */
export const ServiceName = z.string().max(63, "must be no more than 63 characters").regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, invalid(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
));

/** True when `s` is a DNS-1123 label. Pure. */
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}

/** True when `s` is a DNS-1123 subdomain. Pure. */
export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && DNS_SUBDOMAIN.test(s);
}
