/** docker-compose.yml exposes nothing but the web port and keeps its secrets out of the file. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const compose = readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8");

/** Each service's block of lines (the file's services are two-space keys under `services:`). */
function services(text: string): Map<string, string> {
  const lines = text.split("\n");
  const start = lines.indexOf("services:");
  const out = new Map<string, string>();
  let name: string | null = null;
  let block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const key = /^ {2}([\w-]+):/.exec(line);
    if (key) {
      if (name) out.set(name, block.join("\n"));
      name = key[1]!;
      block = [];
    } else block.push(line);
  }
  if (name) out.set(name, block.join("\n"));
  return out;
}

describe("docker-compose.yml", () => {
  const all = services(compose);

  it("publishes only the web port", () => {
    expect([...all.keys()]).toEqual(expect.arrayContaining(["postgres", "redis", "web"]));
    const publishing = [...all].filter(([, block]) => /^\s+ports:/m.test(block)).map(([name]) => name);
    expect(publishing).toEqual(["web"]);
    expect(all.get("web")).toMatch(/ports: \["3000:3000"\]/);
    expect(compose).not.toMatch(/network_mode:\s*host/);
  });

  it("takes the Postgres and Redis passwords from the env file and makes Redis require one", () => {
    expect(compose).not.toMatch(/postgres:postgres@|POSTGRES_PASSWORD:\s*postgres\b/);
    expect(all.get("postgres")).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
    expect(compose).toMatch(
      /DATABASE_URL: postgresql:\/\/postgres:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\//,
    );
    expect(compose).toMatch(/REDIS_URL: redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379/);
    expect(all.get("redis")).toMatch(/--requirepass "\$\$REDIS_PASSWORD"/);
  });

  it("keeps .env out of the image", () => {
    const ignore = readFileSync(path.join(ROOT, ".dockerignore"), "utf8").split("\n");
    expect(ignore).toContain(".env");
    expect(readFileSync(path.join(ROOT, "Dockerfile"), "utf8")).toMatch(/^USER node$/m);
  });
});
