/** One HTTP GET on a fresh connection, for tests that go through a Service's proxy (each connection picks anew). */
import { request } from "node:http";

/** What an HTTP GET of `path` on `host:port` answered, or the error's code ("timeout" if nothing came within 5 s). */
export function httpGet(host: string, port: number, path = "/"): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, agent: false, timeout: 5_000 }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("timeout", () => { req.destroy(); resolve("timeout"); });
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    req.end();
  });
}
