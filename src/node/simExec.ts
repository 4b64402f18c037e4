/**
 * `kubectl exec` into a simulated container: no program runs, so only the commands whose output needs none are
 * answered, as simCommand.ts runs them for a container's own command: `echo`, `printf` (`%s` and `\n`), `hostname`
 * (the pod's name), `env` and `printenv` (the container's variables), `pwd` (`/`), `date`, `true`, `false`,
 * `exit N`, `sleep N`, `cat` (its stdin back), and `sh -c` scripts of those, with `$NAME` expanded (HOSTNAME too).
 * Anything else is not found, in the runtime's words (alone) or the shell's (in a script, exit 127); a pipe, a
 * redirection or a substitution in a script is refused (exit 127). Pure.
 */
import { commandsOf, SHELLS, sleepMs } from "./simCommand.js";

/** What an exec into a simulated container does: output, a wait, an exit code; `cat` echoes stdin until its end. */
export interface SimExec {
  stdout: string;
  stderr: string;
  durationMs: number;
  exitCode: number;
  echoStdin: boolean;
}

/** `$NAME` and `${NAME}` replaced by the variable's value (empty when unset), as sh does outside single quotes. Pure. */
function expand(word: string, env: Record<string, string>): string {
  return word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced?: string, bare?: string) => env[braced ?? bare ?? ""] ?? "");
}

/** The words of one simple command, quotes taken off and variables expanded (not in single quotes). Pure. */
function wordsOf(text: string, env: Record<string, string>): string[] {
  return (text.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => (w.startsWith("'") && w.endsWith("'") && w.length > 1 ? w.slice(1, -1)
    : expand(w.startsWith('"') && w.endsWith('"') && w.length > 1 ? w.slice(1, -1) : w, env)));
}

/** A pipe, a redirection, a substitution or a background job (outside single quotes): what the simulation does not run. Pure. */
function notSimulated(part: string): boolean {
  return /[|<>`&]|\$\(/.test(part.replace(/'[^']*'/g, ""));
}

/** One command's run, "exit" with its code, or undefined when it is not known. Pure. */
function step(words: string[], env: Record<string, string>, hostname: string): SimExec | { exit: number } | undefined {
  const [name = "", ...args] = words;
  const base = name.split("/").pop() ?? name;
  const done = (stdout: string, exitCode = 0): SimExec => ({ stdout, stderr: "", durationMs: 0, exitCode, echoStdin: false });
  switch (base) {
    case "echo": {
      const bare = args[0] === "-n";
      return done(`${(bare ? args.slice(1) : args).join(" ")}${bare ? "" : "\n"}`);
    }
    case "printf": {
      let i = 1;
      return done((args[0] ?? "").replace(/%s/g, () => args[i++] ?? "").replace(/\\n/g, "\n").replace(/\\t/g, "\t"));
    }
    case "hostname": return done(`${hostname}\n`);
    case "env": return args.length === 0 ? done(Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join("")) : undefined;
    case "printenv": {
      if (args.length === 0) return done(Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""));
      const values = args.filter((a) => a in env).map((a) => `${env[a]}\n`);
      return done(values.join(""), values.length === args.length ? 0 : 1);
    }
    case "pwd": return done("/\n");
    case "date": return done(`${new Date().toUTCString()}\n`);
    case "true": case ":": return done("");
    case "false": return done("", 1);
    case "exit": {
      const code = Number.parseInt(args[0] ?? "0", 10);
      return { exit: Number.isFinite(code) ? code & 255 : 0 };
    }
    case "sleep": {
      const ms = sleepMs(args[0]);
      return ms === undefined ? undefined : { ...done(""), durationMs: ms };
    }
    case "cat": return args.length === 0 ? { ...done(""), echoStdin: true } : undefined;
    default: return undefined;
  }
}

/** What `command` does in a simulated container of pod `hostname` with variables `env`, or the runtime's error. Pure. */
export function simulatedExec(command: readonly string[], containerEnv: Record<string, string>, hostname: string): SimExec | { error: string } {
  const env = { HOSTNAME: hostname, ...containerEnv };
  const name = command[0] ?? "";
  if (SHELLS.has(name.split("/").pop() ?? "") && command[1] === "-c" && command.length >= 3) {
    const run: SimExec = { stdout: "", stderr: "", durationMs: 0, exitCode: 0, echoStdin: false };
    for (const part of commandsOf(command[2] ?? "")) {
      if (notSimulated(part)) return { ...run, stderr: `${run.stderr}${name}: 1: a simulated container runs no pipe, redirection, substitution or background job: ${part}\n`, exitCode: 127 };
      const words = wordsOf(part, env);
      const s = step(words, env, hostname);
      if (s === undefined) return { ...run, stderr: `${run.stderr}${name}: 1: ${words[0] ?? ""}: not found\n`, exitCode: 127 };
      if ("exit" in s) return { ...run, exitCode: s.exit };
      Object.assign(run, { stdout: run.stdout + s.stdout, durationMs: run.durationMs + s.durationMs, exitCode: s.exitCode, echoStdin: run.echoStdin || s.echoStdin });
    }
    return run;
  }
  const s = step([...command], env, hostname);
  if (s === undefined) return { error: `exec: "${name}": executable file not found in $PATH (a simulated container runs no program)` };
  return "exit" in s ? { error: `exec: "exit": executable file not found in $PATH` } : s;
}
