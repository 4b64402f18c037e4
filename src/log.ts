/** The structured logger: pino on stderr, quiet by default, `LOG_LEVEL` raises it. */
import { pino, type Logger } from "pino";

export type { Logger };

/** A logger for one component (`actors`, `api`, `controllers`, …). */
export function createLogger(component: string, level = process.env.LOG_LEVEL ?? "warn"): Logger {
  return pino({ name: component, level }, pino.destination(2));
}
