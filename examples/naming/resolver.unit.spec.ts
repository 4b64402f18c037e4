import { describe, expect, it } from "vitest";
import { candidates, parseResolvConf } from "./resolver.js";

const CONF = "nameserver 127.53.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n";

describe("a pod's search list", () => {
  it("reads the search domains and ndots of the pod's resolv.conf", () => {
    expect(parseResolvConf(CONF)).toEqual({ search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], ndots: 5 });
    expect(parseResolvConf("nameserver 1.1.1.1\n")).toEqual({ search: [], ndots: 1 });
  });

  it("tries a short name through each search domain first, so `db-0.db` is the pod of the headless service db", () => {
    expect(candidates("db-0.db", parseResolvConf(CONF))).toEqual([
      "db-0.db.default.svc.cluster.local", "db-0.db.svc.cluster.local", "db-0.db.cluster.local", "db-0.db",
    ]);
  });

  it("tries a name with ndots or more dots as it is first, and a name ending in a dot only as it is", () => {
    const config = { search: ["default.svc.cluster.local"], ndots: 2 };
    expect(candidates("a.b.c", config)).toEqual(["a.b.c", "a.b.c.default.svc.cluster.local"]);
    expect(candidates("web.default.svc.cluster.local.", config)).toEqual(["web.default.svc.cluster.local"]);
  });
});
