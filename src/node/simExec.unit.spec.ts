import { describe, expect, it } from "vitest";
import { simulatedExec } from "./simExec.js";

const env = { GREETING: "hello", A: "1" };

describe("exec into a simulated container", () => {
  it("answers the commands the simulation knows, alone and in sh -c scripts", () => {
    expect(simulatedExec(["echo", "hi", "there"], env, "web")).toMatchObject({ stdout: "hi there\n", exitCode: 0 });
    expect(simulatedExec(["echo", "-n", "x"], env, "web")).toMatchObject({ stdout: "x" });
    expect(simulatedExec(["hostname"], env, "web")).toMatchObject({ stdout: "web\n" });
    expect(simulatedExec(["printenv", "GREETING"], env, "web")).toMatchObject({ stdout: "hello\n", exitCode: 0 });
    expect(simulatedExec(["printenv", "NOPE"], env, "web")).toMatchObject({ stdout: "", exitCode: 1 });
    expect(simulatedExec(["env"], env, "web")).toMatchObject({ stdout: "HOSTNAME=web\nGREETING=hello\nA=1\n" });
    expect(simulatedExec(["sh", "-c", "echo 'a b'; printf '%s-%s\\n' x y; false"], env, "web")).toMatchObject({ stdout: "a b\nx-y\n", exitCode: 1 });
    expect(simulatedExec(["sh", "-c", "echo before && exit 4; echo never"], env, "web")).toMatchObject({ stdout: "before\n", exitCode: 4 });
    expect(simulatedExec(["sleep", "2"], env, "web")).toMatchObject({ durationMs: 2000, exitCode: 0 });
    expect(simulatedExec(["cat"], env, "web")).toMatchObject({ echoStdin: true });
    expect(simulatedExec(["sh", "-c", `echo "$GREETING from \${HOSTNAME}" '$A'; printenv HOSTNAME`], env, "web")).toMatchObject({ stdout: "hello from web $A\nweb\n" });
  });

  it("says what it cannot run: the runtime's words alone, the shell's (127) in a script", () => {
    expect(simulatedExec(["ls", "/"], env, "web")).toEqual({ error: 'exec: "ls": executable file not found in $PATH (a simulated container runs no program)' });
    expect(simulatedExec(["sh", "-c", "echo a; ls"], env, "web")).toMatchObject({ stdout: "a\n", stderr: "sh: 1: ls: not found\n", exitCode: 127 });
    expect(simulatedExec(["cat", "/etc/hosts"], env, "web")).toHaveProperty("error");
    expect(simulatedExec(["sh", "-c", "echo a; echo $(hostname) | cat"], env, "web"))
      .toMatchObject({ stdout: "a\n", stderr: "sh: 1: a simulated container runs no pipe, redirection, substitution or background job: echo $(hostname) | cat\n", exitCode: 127 });
  });
});
