import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { Caller } from "./caller.js";
import { impersonatedUser, impersonating } from "./impersonation.js";

const caller = (mayImpersonate: boolean): Caller => ({ user: mayImpersonate ? "admin" : "viewer", mayImpersonate, authorize: () => undefined, sender: () => ({ send: () => Promise.reject(new Error("unused")) }) });
const req = (headers: Record<string, string[]>) => ({ headersDistinct: headers }) as unknown as IncomingMessage;

describe("impersonation (Impersonate-User, Impersonate-Group)", () => {
  it("names a service account with its groups, a user with its groups and system:authenticated", () => {
    expect(impersonatedUser({ "impersonate-user": ["system:serviceaccount:default:sa"] })).toEqual({
      name: "system:serviceaccount:default:sa", groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
    });
    expect(impersonatedUser({ "impersonate-user": ["jane"], "impersonate-group": ["devs"] })).toEqual({ name: "jane", groups: ["devs", "system:authenticated"] });
    expect(impersonatedUser({})).toBeNull();
    expect(() => impersonatedUser({ "impersonate-group": ["devs"] })).toThrow(/without impersonating a user/);
  });

  it("lets only a caller that may impersonate act as another user", () => {
    const as = (u: { name: string }) => ({ ...caller(false), user: u.name });
    expect(impersonating(req({ "impersonate-user": ["jane"] }), caller(true), as).user).toBe("jane");
    expect(impersonating(req({}), caller(false), as).user).toBe("viewer");
    expect(() => impersonating(req({ "impersonate-user": ["jane"] }), caller(false), as)).toThrow('users "jane" is forbidden: User "viewer" cannot impersonate resource "users"');
  });
});
