import { afterEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { keyId, SEALED_PREFIX, seal, unseal, useSealingKey, isSealed } from "./sealing.js";
import { decodeEvent } from "./upcast.js";

const keyOf = (key: Buffer) => ({ key, id: keyId(key) });
const DATA = { object: { kind: "Secret", data: { password: "aHVudGVyMg==" } } };

describe("sealing a sealed kind's event data", () => {
  afterEach(() => useSealingKey(null));

  it("opens what it sealed for the same object, and each sealing differs (a nonce per event)", () => {
    const k = keyOf(randomBytes(32));
    const a = seal(DATA, "Secret/default/db", k);
    expect(a.startsWith(`${SEALED_PREFIX}${k.id}:`)).toBe(true);
    expect(a).not.toContain("aHVudGVyMg==");
    expect(seal(DATA, "Secret/default/db", k)).not.toBe(a);
    expect(unseal(a, "Secret/default/db", k)).toEqual(DATA);
  });

  it("refuses to open data moved to another object, tampered with, or sealed with another key (naming both keys)", () => {
    const k = keyOf(randomBytes(32));
    const other = keyOf(randomBytes(32));
    const a = seal(DATA, "Secret/default/db", k);
    expect(() => unseal(a, "Secret/default/other", k)).toThrow();
    const bytes = Buffer.from(a.slice(a.lastIndexOf(":") + 1), "base64");
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    expect(() => unseal(`${a.slice(0, a.lastIndexOf(":") + 1)}${bytes.toString("base64")}`, "Secret/default/db", k)).toThrow();
    expect(() => unseal(a, "Secret/default/db", other)).toThrow(`Secret/default/db was sealed with key ${k.id}; this part has key ${other.id}`);
  });

  it("leaves sealed text as it is without a key, and will not seal without one", () => {
    const a = seal(DATA, "Secret/default/db", keyOf(randomBytes(32)));
    expect(unseal(a, "Secret/default/db", null)).toBe(a);
    expect(() => seal(DATA, "Secret/default/db", null)).toThrow(/no encryption key/);
    expect(() => useSealingKey(randomBytes(16))).toThrow("an encryption key has 32 bytes, this one 16");
  });

  it("is opened by decodeEvent with the process's key, and only sealed text is taken for sealed", () => {
    const key = randomBytes(32);
    useSealingKey(key);
    const envelope = { type: "SecretCreated", kind: "Secret", namespace: "default", name: "db", uid: "u", version: 1, time: "t", commandId: "c" };
    const stored = JSON.stringify({ ...envelope, data: seal(DATA, "Secret/default/db") });
    expect(decodeEvent(new TextEncoder().encode(stored)).data).toEqual(DATA);
    useSealingKey(null);
    expect(isSealed(decodeEvent(new TextEncoder().encode(stored)).data)).toBe(true);
    expect(isSealed("k8s:enc:aescbc:v1:x")).toBe(false);
    expect(isSealed({ data: "k8s:enc:aesgcm:v1:" })).toBe(false);
  });
});
