/**
 * One actor host on a test nats-server for a whole spec file: started before its tests, stopped after them. The
 * fields are set once `beforeAll` has run.
 */
import { afterAll, beforeAll } from "vitest";
import { startActors, type ActorHost } from "../../src/actors/index.js";
import { startTestNats, uniqueName, type TestNats } from "./natsServer.js";

/** What the spec's tests use: the server, the host and the host's subject prefix. */
export interface ActorHostFixture {
  readonly prefix: string;
  t: TestNats;
  host: ActorHost;
}

/** Registers the hooks that start and stop a nats-server and an actor host on a fresh prefix named from `stem`. */
export function withActorHost(stem: string): ActorHostFixture {
  const fixture = { prefix: uniqueName(stem) } as ActorHostFixture;
  beforeAll(async () => {
    fixture.t = await startTestNats();
    fixture.host = await startActors(await fixture.t.connect(), { prefix: fixture.prefix });
  });
  afterAll(async () => {
    await fixture.host?.stop();
    await fixture.t?.cleanup();
  });
  return fixture;
}
