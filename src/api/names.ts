/** Object names and namespaces: DNS-1123 labels, always a single NATS subject token. */
import { z } from "zod";

/** The DNS-1123 label pattern. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters. */
export const DnsLabel = z
  .string()
  .max(63, "must be no more than 63 characters")
  .regex(DNS_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit");

/** True when `s` is a DNS-1123 label. Pure. */
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}
