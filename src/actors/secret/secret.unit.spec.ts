import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/status.js";
import { storedSecret, type SecretFields } from "../../api/secret.js";
import { checkSecret } from "./index.js";

const refusal = (f: () => void) => {
  try {
    f();
  } catch (err) {
    return (err as StatusError).details?.causes?.[0];
  }
  return undefined;
};

describe("a Secret as written and checked", () => {
  it("merges stringData into data in base64 (stringData winning), drops it and defaults the type to Opaque", () => {
    expect(storedSecret({ data: { a: "MQ==", b: "Mg==" }, stringData: { b: "two", c: "three" } })).toEqual({
      type: "Opaque", data: { a: "MQ==", b: Buffer.from("two").toString("base64"), c: Buffer.from("three").toString("base64") },
    });
    expect(storedSecret({ type: "kubernetes.io/tls" })).toEqual({ type: "kubernetes.io/tls" });
  });

  it("needs a typed Secret's keys, keeps the type, and keeps an immutable Secret's data", () => {
    const tls: SecretFields = { type: "kubernetes.io/tls", data: { "tls.crt": "YQ==" } };
    expect(refusal(() => checkSecret(tls, null, "web"))).toEqual({ field: "data.data[tls.key]", message: "Required value" });
    expect(refusal(() => checkSecret({ ...tls, data: { ...tls.data, "tls.key": "Yg==" } }, null, "web"))).toBeUndefined();
    expect(refusal(() => checkSecret({ type: "Other" }, { type: "Opaque" }, "db"))).toMatchObject({ field: "data.type" });
    const frozen = { type: "Opaque", data: { k: "MQ==" }, immutable: true };
    expect(refusal(() => checkSecret({ ...frozen, data: { k: "Mg==" } }, frozen, "db"))).toMatchObject({ field: "data.data" });
    expect(refusal(() => checkSecret({ ...frozen, immutable: false }, frozen, "db"))).toMatchObject({ field: "data.immutable" });
    expect(refusal(() => checkSecret(frozen, frozen, "db"))).toBeUndefined();
  });
});
