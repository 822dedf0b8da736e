/**
 * `npm run dev:llm`: a fake OpenAI-compatible server for local development without an API
 * key. Translations are visible stand-ins (`[de] Hello`), never real ones.
 */
import { startFakeOpenAi } from "./fake-openai";

const port = Number(process.env.LLM_FAKE_PORT ?? 11435);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`LLM_FAKE_PORT must be a port number, got ${JSON.stringify(process.env.LLM_FAKE_PORT)}`);
  process.exit(1);
}

const fake = await startFakeOpenAi({ port, host: "127.0.0.1" });
console.log(`Fake OpenAI-compatible server (stand-in translations) at ${fake.url}`);
console.log("Use it with:");
console.log(`  LLM_BASE_URL=${fake.url} LLM_API_KEY=fake LLM_MODEL=fake-translator`);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the fake server (${fake.requests.length} requests served)`);
  fake.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
