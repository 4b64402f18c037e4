/** The request of an httpGet probe or hook, as the kubelet makes it. */
import { describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { httpGet, httpTarget, targetUrl } from "./probes.js";

describe("httpTarget", () => {
  it("asks the pod's address over HTTP by default, with a leading '/', and the kubelet's User-Agent and Accept", () => {
    const t = httpTarget({ port: 80, path: "healthz" }, 8080, "127.1.2.3", "probe");
    expect(t).toEqual({ scheme: "http", host: "127.1.2.3", port: 8080, path: "/healthz", headers: { "User-Agent": "kube-probe/1.32", Accept: "*/*" } });
    expect(targetUrl(t)).toBe("http://127.1.2.3:8080/healthz");
  });

  it("takes host and scheme as given, and httpHeaders over the defaults whatever their case", () => {
    const t = httpTarget({ port: 443, host: "::1", scheme: "HTTPS", httpHeaders: [{ name: "user-agent", value: "me" }, { name: "Host", value: "shop" }] }, 443, "127.1.2.3", "lifecycle");
    expect(t.headers).toEqual({ Accept: "*/*", "user-agent": "me", Host: "shop" });
    expect(targetUrl(t)).toBe("https://[::1]:443/");
  });
});

describe("httpGet", () => {
  it("escapes a path as the kubelet's URL does, and turns a header Node refuses into a failed check, never a throw", async () => {
    const server = createServer((req, res) => res.end(req.url));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const target = { scheme: "http" as const, host: "127.0.0.1", port, headers: {} };
      expect(await httpGet({ ...target, path: "/a b/é?x=1%20" }, 5_000)).toEqual({ status: 200 });
      const refused = await httpGet({ ...target, path: "/", headers: { "X-Bad": "one\ntwo" } }, 5_000);
      expect(refused).toMatchObject({ error: expect.stringContaining("X-Bad") });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
