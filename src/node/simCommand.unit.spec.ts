import { describe, expect, it } from "vitest";
import { simulatedRun } from "./simCommand.js";
import { simBehaviour } from "./simRuntime.js";

describe("a simulated container's command", () => {
  it("ends as the commands it knows would: echo at once, sleep after its time, false and exit with their codes", () => {
    expect(simulatedRun(["echo", "hi"], undefined)).toEqual({ durationMs: 0, exitCode: 0 });
    expect(simulatedRun(undefined, ["/bin/sleep", "2"])).toEqual({ durationMs: 2000, exitCode: 0 });
    expect(simulatedRun(["sleep"], ["1m"])).toEqual({ durationMs: 60_000, exitCode: 0 });
    expect(simulatedRun(["false"], undefined)).toEqual({ durationMs: 0, exitCode: 1 });
    expect(simulatedRun(["sh", "-c", "echo 'a; b' && sleep 0.5; echo done"], undefined)).toEqual({ durationMs: 500, exitCode: 0 });
    expect(simulatedRun(["/bin/sh", "-c", "sleep 1\nexit 3"], undefined)).toEqual({ durationMs: 1000, exitCode: 3 });
  });

  it("runs until stopped for a command it does not know, or a script it cannot follow", () => {
    expect(simulatedRun(undefined, undefined)).toBeUndefined();
    expect(simulatedRun(["nginx", "-g", "daemon off;"], undefined)).toBeUndefined();
    expect(simulatedRun(["sh", "-c", "while true; do sleep 1; done"], undefined)).toBeUndefined();
    expect(simulatedRun(["sh", "-c", "echo $HOME > /tmp/x"], undefined)).toBeUndefined();
    expect(simulatedRun(["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"], undefined)).toBeUndefined();
  });

  it("gives way to COX_SIM_DURATION and COX_SIM_EXIT_CODE", () => {
    const run = simulatedRun(["sh", "-c", "sleep 2; exit 4"], undefined);
    expect(simBehaviour({}, run)).toMatchObject({ durationMs: 2000, exit: { exitCode: 4, reason: "Error" } });
    expect(simBehaviour({ COX_SIM_DURATION: "100ms" }, run)).toMatchObject({ durationMs: 100, exit: { exitCode: 0, reason: "Completed" } });
    expect(simBehaviour({ COX_SIM_EXIT_CODE: "2" }, run)).toMatchObject({ durationMs: 2000, exit: { exitCode: 2 } });
    expect(simBehaviour({}, undefined).durationMs).toBeUndefined();
  });
});
