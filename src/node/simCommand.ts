/**
 * What a simulated container's command would do, for the few commands whose run needs no program: `echo`, `true`,
 * `printf`, `date`, `hostname`, `env` and `pwd` end at once with 0, `false` with 1, `exit N` with N, `sleep N` after
 * N seconds (`s`, `m`, `h` suffixes too), and `sh -c` / `bash -c` scripts made only of those, joined by `;`, `&&` or
 * newlines. So `kubectl create job hello --image=busybox -- echo hi` completes as it does on Kubernetes. Any other
 * command is not known: the container runs until it is stopped, as before (COX_SIM_DURATION says otherwise). Pure.
 */

/** How a known command ends: after `durationMs`, with `exitCode`. */
export interface SimulatedRun {
  durationMs: number;
  exitCode: number;
}

const INSTANT = new Set(["echo", "true", "printf", "date", "hostname", "env", "pwd", ":"]);
export const SHELLS = new Set(["sh", "bash", "ash", "dash"]);

/** `sleep`'s argument in ms (`5`, `0.5`, `2m`), or undefined. Pure. */
export function sleepMs(arg: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(arg ?? "");
  if (!m) return undefined;
  return Math.round(Number(m[1]) * ({ "": 1000, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? ""] ?? 1000));
}

/** One simple command's run, or undefined when it is not one of the known ones. Pure. */
function simple(words: readonly string[]): SimulatedRun | "exit" | undefined {
  const [name = "", ...args] = words;
  const base = name.split("/").pop() ?? name;
  if (INSTANT.has(base)) return { durationMs: 0, exitCode: 0 };
  if (base === "false") return { durationMs: 0, exitCode: 1 };
  if (base === "sleep" && args.length === 1) {
    const ms = sleepMs(args[0]);
    return ms === undefined ? undefined : { durationMs: ms, exitCode: 0 };
  }
  if (base === "exit") return "exit";
  return undefined;
}

/** The commands of a script: split at `;`, `&&` and newlines outside quotes. Pure. */
export function commandsOf(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quote) {
      if (c === quote) quote = null;
      current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      current += c;
    } else if (c === ";" || c === "\n" || (c === "&" && text[i + 1] === "&")) {
      parts.push(current);
      current = "";
      if (c === "&") i++;
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** A script of simple commands run one after another: the sum of their times, the last exit code (or `exit N`'s). Pure. */
function script(text: string): SimulatedRun | undefined {
  let run: SimulatedRun = { durationMs: 0, exitCode: 0 };
  for (const part of commandsOf(text)) {
    // Quoted words are kept whole enough for echo's sake; a pipe, a redirection or a substitution is not simulated.
    if (/[|<>`$(]/.test(part.replace(/(["']).*?\1/g, ""))) return undefined;
    const words = part.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
    const step = simple(words);
    if (step === undefined) return undefined;
    if (step === "exit") {
      const code = Number.parseInt(words[1] ?? "0", 10);
      return { durationMs: run.durationMs, exitCode: Number.isFinite(code) ? code : 0 };
    }
    run = { durationMs: run.durationMs + step.durationMs, exitCode: step.exitCode };
  }
  return run;
}

/** How `command` + `args` would run, or undefined when the container runs until stopped. Pure. */
export function simulatedRun(command: readonly string[] | undefined, args: readonly string[] | undefined): SimulatedRun | undefined {
  const words = [...(command ?? []), ...(args ?? [])];
  if (words.length === 0) return undefined;
  const base = words[0]?.split("/").pop() ?? "";
  if (SHELLS.has(base) && words[1] === "-c" && words.length >= 3) return script(words[2] ?? "");
  const step = simple(words);
  if (step === "exit") return undefined;
  return step;
}
