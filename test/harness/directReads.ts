/** Counting JetStream direct gets in tests: what a read path asks the server for. */
import type { TestNats } from "./natsServer.js";

/** The direct get requests that name `subject` (in their subject or their body) while `body` runs, seen by a spy connection. */
export async function directReadsOf(t: Pick<TestNats, "connect">, subject: string, body: () => Promise<unknown>): Promise<number> {
  const spy = await t.connect();
  let reads = 0;
  spy.subscribe("$JS.API.DIRECT.GET.>", { callback: (_err, m) => { if (m.subject.includes(subject) || m.string().includes(subject)) reads++; } });
  await spy.flush();
  await body();
  await spy.flush();
  await spy.close();
  return reads;
}
