/** Starting, stopping and killing a real `nats-server` child process (the embedded default and the test harness). */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";

/** How to start a managed server. */
export interface ManagedServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** JetStream store folder. */
  storeDir: string;
  /**
   * The configuration file names `storeDir` itself (`jetstream { store_dir }`), so it is not passed as `-sd`:
   * nats-server 2.9 refuses to reload (SIGHUP) a configuration whose store folder came from the command line.
   */
  storeDirInConfig?: boolean;
  /** A configuration file (`infra/nats.conf`); flags given here win over it. */
  configFile?: string;
  /** The nats-server binary. */
  binary?: string;
  /** Extra arguments. */
  args?: string[];
  /** How long to wait for "Server is ready". */
  readyTimeoutMs?: number;
  /**
   * Start it in a process group of its own, so that a terminal's Ctrl-C (SIGINT to the whole foreground group)
   * reaches only its parent, which stops it after the parts that write to it (the embedded default). Should the
   * parent exit without stopping it (an uncaught error), it is sent SIGTERM on the way out.
   */
  ownProcessGroup?: boolean;
}

/** Thrown when `nats-server` cannot be found on PATH. */
export class NatsServerMissing extends Error {
  override name = "NatsServerMissing";
}

/** Thrown when the server exits or stays silent instead of becoming ready. */
export class NatsServerFailed extends Error {
  override name = "NatsServerFailed";
  constructor(message: string, readonly output: string) {
    super(message);
  }
}

/** The path of `nats-server` on PATH, or null. */
export function findNatsServer(binary = "nats-server"): string | null {
  const found = spawnSync("sh", ["-c", 'command -v "$1" || ls "/usr/sbin/$1" 2>/dev/null', "sh", binary], {
    encoding: "utf8",
  });
  const path = found.stdout.trim().split("\n")[0];
  return path ? path : null;
}

/** A free TCP port on loopback (there is a small race until the server binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something already listens on 127.0.0.1:port. */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(true));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(false)));
  });
}

/** A running nats-server child process that can be stopped, killed with SIGKILL, and started again on the same store. */
export class ManagedNatsServer {
  private child: ChildProcess | null = null;
  private output = "";
  port: number;

  constructor(private readonly opts: ManagedServerOptions) {
    this.port = opts.port;
  }

  /** The client URL of the server. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server and resolves once it logs that it is ready. */
  async start(): Promise<void> {
    const binary = this.opts.binary ?? findNatsServer();
    if (!binary) throw new NatsServerMissing("nats-server is not installed");
    if (this.port === 0) this.port = await freePort();
    mkdirSync(this.opts.storeDir, { recursive: true });
    const args = [
      ...(this.opts.configFile ? ["-c", this.opts.configFile] : ["-a", "127.0.0.1"]),
      "-p", String(this.port), "-js", ...(this.opts.storeDirInConfig ? [] : ["-sd", this.opts.storeDir]), ...(this.opts.args ?? []),
    ];
    this.output = "";
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], detached: this.opts.ownProcessGroup === true });
    this.child = child;
    if (this.opts.ownProcessGroup) {
      // Out of our group, the server no longer ends with it: end it when this process exits, however it does.
      const onExit = () => { if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM"); };
      process.on("exit", onExit);
      child.once("exit", () => process.removeListener("exit", onExit));
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail("did not become ready in time"), this.opts.readyTimeoutMs ?? 15_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.length > 64_000) this.output = this.output.slice(-32_000);
        if (this.output.includes("Server is ready")) {
          clearTimeout(timer);
          resolve();
        }
      };
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new NatsServerFailed(`nats-server on port ${this.port} ${why}`, this.output));
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => fail(`exited with code ${code}`));
      child.once("error", (err) => fail(`could not start: ${err.message}`));
    });
  }

  /** Stops the server gracefully (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  /** Kills the server with SIGKILL, as a crash would. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** Freezes the server (SIGSTOP): its sockets stay open but it answers nothing until `resume`. */
  pause(): void {
    if (this.child?.pid) process.kill(this.child.pid, "SIGSTOP");
  }

  /** Lets a paused server run again (SIGCONT). */
  resume(): void {
    if (this.child?.pid) process.kill(this.child.pid, "SIGCONT");
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(sig);
    await exited;
  }
}
