/**
 * A local stand-in for an OpenAI-compatible API, faithful enough on the wire that the
 * official `openai` client works against it unchanged. Test code and `npm run dev:llm` only;
 * never a production default. Translations are visible stand-ins (`[de] Hello`), so a dub
 * made against it is obviously fake.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  answerShorten,
  answerTranslate,
  breakJson,
  chatCompletion,
  chatCompletionChunks,
  estimateTokens,
  lastUserText,
  parseTask,
  standInTranslation,
} from "./fake-openai-chat";
import type { BrokenJsonStyle, ChatMessage, FakeTask } from "./fake-openai-chat";
import { buildSegments, resolveDuration, subtitles, verboseJson } from "./fake-openai-audio";
import type { FakeTranscript } from "./fake-openai-audio";
import { answerSpeech } from "./fake-openai-speech";
import {
  HttpError,
  failure,
  flattenHeaders,
  modelObject,
  mulberry32,
  readBody,
  sendError,
  sendJson,
  sendText,
} from "./fake-openai-http";

export interface FakeOpenAiBehaviour {
  /** Delay before every answer (overrides the server option). */
  latencyMs?: number;
  /** Answer the first N task replies (translate/shorten) with broken JSON. */
  brokenJsonTimes?: number;
  /** Probability 0..1 that any later task reply is broken JSON (seeded, reproducible). */
  brokenJsonRate?: number;
  /** Default "truncated" (unrepairable); "fenced" is prose + markdown fence + trailing comma. */
  brokenJsonStyle?: BrokenJsonStyle;
  /** Leave this many translations out of every translate reply with more than one sentence. */
  dropLines?: number;
  /** Only the first N translate replies drop lines (default: all of them). */
  dropLinesTimes?: number;
  /** Answer POST requests with this HTTP status and OpenAI's error JSON... */
  failStatus?: number;
  /** ...this many times (default: every time). */
  failTimes?: number;
  /** Which POST routes `failStatus` hits (default both). */
  failOn?: "chat" | "transcriptions" | "speech";
  /** Replace the stand-in translation. */
  translate?: (text: string, targetLanguage: string) => string;
  transcript?: FakeTranscript;
  /** Seconds of audio assumed when the upload is not a WAV and `transcript.durationSec` is unset. */
  audioDurationSec?: number;
  /** Ids listed by GET /v1/models. */
  models?: string[];
  /** Seed for brokenJsonRate. */
  seed?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. "/v1/chat/completions". */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; for multipart the fields, with files as `{ filename, type, size }`. */
  body: unknown;
  /** The pipeline task payload found in the last user message, if any. */
  task?: FakeTask;
  /** HTTP status answered (0 until the answer is sent). */
  status: number;
  receivedAt: number;
}

export interface FakeOpenAiOptions {
  port?: number;
  host?: string;
  latencyMs?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  behaviour?: FakeOpenAiBehaviour;
}

export interface FakeOpenAi {
  /** Base URL ending in /v1, for `new OpenAI({ baseURL })`. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  setBehaviour(behaviour: FakeOpenAiBehaviour): void;
  close(): Promise<void>;
}

const DEFAULT_MODELS = ["fake-translator", "whisper-1"];

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const { port = 0, host = "127.0.0.1", apiKey } = opts;
  const requests: RecordedRequest[] = [];
  let behaviour: FakeOpenAiBehaviour = opts.behaviour ?? {};
  let counters = { task: 0, translate: 0, fail: 0 };
  let random = mulberry32(behaviour.seed ?? 1);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendError(res, new HttpError(500, `fake server bug: ${String(err)}`, "server_error"));
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      headers: flattenHeaders(req.headers),
      body: undefined,
      status: 0,
      receivedAt: Date.now(),
    };
    requests.push(record);
    res.on("finish", () => {
      record.status = res.statusCode;
    });
    res.setHeader("x-request-id", `req_${Math.random().toString(36).slice(2)}`);

    try {
      const contentType = req.headers["content-type"] ?? "";
      if (contentType.startsWith("application/json")) {
        try {
          record.body = JSON.parse(raw.toString("utf8"));
        } catch {
          throw new HttpError(400, "We could not parse the JSON body of your request.");
        }
      }
      checkAuth(req);
      const route = `${record.method} ${path}`;
      const routeKind =
        path === "/v1/chat/completions"
          ? "chat"
          : path === "/v1/audio/transcriptions"
            ? "transcriptions"
            : path === "/v1/audio/speech"
              ? "speech"
              : undefined;
      if (
        record.method === "POST" &&
        behaviour.failStatus !== undefined &&
        counters.fail < (behaviour.failTimes ?? Infinity)
      ) {
        if (behaviour.failOn === undefined || behaviour.failOn === routeKind) {
          counters.fail++;
          throw failure(behaviour.failStatus);
        }
      }
      const latency = behaviour.latencyMs ?? opts.latencyMs ?? 0;
      if (latency > 0) await sleep(latency);

      if (route === "GET /v1/models") {
        const data = (behaviour.models ?? DEFAULT_MODELS).map(modelObject);
        return sendJson(res, 200, { object: "list", data });
      }
      if (record.method === "GET" && path.startsWith("/v1/models/")) {
        const id = decodeURIComponent(path.slice("/v1/models/".length));
        if (!(behaviour.models ?? DEFAULT_MODELS).includes(id)) {
          throw new HttpError(
            404,
            `The model '${id}' does not exist`,
            "invalid_request_error",
            "model_not_found",
            "model",
          );
        }
        return sendJson(res, 200, modelObject(id));
      }
      if (route === "POST /v1/chat/completions") return chat(record, res);
      if (route === "POST /v1/audio/transcriptions") return await transcribe(record, contentType, raw, res);
      if (route === "POST /v1/audio/speech") {
        const speech = answerSpeech(record.body);
        res.writeHead(200, { "content-type": speech.contentType, "content-length": speech.body.length });
        return void res.end(speech.body);
      }
      throw new HttpError(404, `Invalid URL (${route})`);
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err);
      throw err;
    }
  }

  function checkAuth(req: http.IncomingMessage): void {
    if (apiKey === undefined) return;
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Bearer ")) {
      throw new HttpError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      );
    }
    const given = header.slice("Bearer ".length);
    if (given !== apiKey) {
      const masked = given.length > 8 ? `${given.slice(0, 3)}***${given.slice(-4)}` : "***";
      throw new HttpError(
        401,
        `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        "invalid_request_error",
        "invalid_api_key",
      );
    }
  }

  function chat(record: RecordedRequest, res: http.ServerResponse): void {
    const body = record.body as
      | {
          model?: unknown;
          messages?: unknown;
          stream?: unknown;
          stream_options?: { include_usage?: unknown };
        }
      | undefined;
    if (typeof body?.model !== "string" || body.model === "") {
      throw new HttpError(400, "you must provide a model parameter", "invalid_request_error", null, "model");
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw new HttpError(
        400,
        "'messages' is a required property",
        "invalid_request_error",
        null,
        "messages",
      );
    }
    const messages = body.messages as ChatMessage[];
    const userText = lastUserText(messages);
    const task = parseTask(userText);
    if (task) record.task = task;

    let content: string;
    if (task) {
      counters.task++;
      const answer =
        task.task === "translate"
          ? answerTranslate(task, {
              dropLines:
                counters.translate++ < (behaviour.dropLinesTimes ?? Infinity)
                  ? (behaviour.dropLines ?? 0)
                  : 0,
              translate: behaviour.translate ?? standInTranslation,
            })
          : answerShorten(task);
      content = JSON.stringify(answer);
      const broken =
        counters.task <= (behaviour.brokenJsonTimes ?? 0) || random() < (behaviour.brokenJsonRate ?? 0);
      if (broken) content = breakJson(content, behaviour.brokenJsonStyle ?? "truncated");
    } else {
      content = `This is a fake OpenAI-compatible server with stand-in replies. You said: ${userText ?? ""}`;
    }

    const promptTokens = estimateTokens(JSON.stringify(messages));
    if (body.stream === true) {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
      const includeUsage = body.stream_options?.include_usage === true;
      for (const chunk of chatCompletionChunks({ model: body.model, content, promptTokens, includeUsage }))
        res.write(chunk);
      res.end();
      return;
    }
    sendJson(res, 200, chatCompletion({ model: body.model, content, promptTokens }));
  }

  async function transcribe(
    record: RecordedRequest,
    contentType: string,
    raw: Buffer,
    res: http.ServerResponse,
  ): Promise<void> {
    if (!contentType.startsWith("multipart/form-data")) {
      throw new HttpError(400, "Expected a multipart/form-data request body.");
    }
    let form: FormData;
    try {
      // undici's multipart parser: the same one the real fetch stack uses.
      form = await new Request("http://fake.local/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: new Uint8Array(raw),
      }).formData();
    } catch (err) {
      throw new HttpError(400, `Could not parse multipart form: ${String(err)}`);
    }
    const fields: Record<string, unknown> = {};
    for (const [name, value] of form.entries()) {
      const shown =
        typeof value === "string" ? value : { filename: value.name, type: value.type, size: value.size };
      const previous = fields[name];
      if (previous === undefined) fields[name] = shown;
      else if (Array.isArray(previous)) previous.push(shown);
      else fields[name] = [previous, shown];
    }
    record.body = fields;
    const file = form.get("file");
    if (file === null || typeof file === "string") {
      throw new HttpError(400, "Missing required parameter: 'file'.", "invalid_request_error", null, "file");
    }
    const model = form.get("model");
    if (typeof model !== "string" || model === "") {
      throw new HttpError(400, "you must provide a model parameter", "invalid_request_error", null, "model");
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const transcript = behaviour.transcript;
    const durationSec = resolveDuration(transcript, behaviour.audioDurationSec, bytes);
    const segments = buildSegments(transcript, durationSec);
    const requested = form.get("response_format");
    const format = typeof requested === "string" ? requested : "json";
    // The SDK sends arrays as `name[]`; curl users often send the bare name.
    const granularities = ["timestamp_granularities[]", "timestamp_granularities"]
      .flatMap((name) => form.getAll(name))
      .filter((v): v is string => typeof v === "string");
    const text = segments.map((s) => s.text.trim()).join(" ");
    switch (format) {
      case "json":
        return sendJson(res, 200, { text });
      case "text":
        return sendText(res, "text/plain", `${text}\n`);
      case "srt":
      case "vtt":
        return sendText(res, "text/plain", subtitles(segments, format));
      case "verbose_json":
        return sendJson(
          res,
          200,
          verboseJson({ language: transcript?.language ?? "english", durationSec, segments, granularities }),
        );
      default:
        throw new HttpError(
          400,
          `Invalid response_format '${format}'.`,
          "invalid_request_error",
          null,
          "response_format",
        );
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${hostInUrl}:${actualPort}/v1`,
    port: actualPort,
    requests,
    setBehaviour(next) {
      behaviour = next;
      counters = { task: 0, translate: 0, fail: 0 };
      random = mulberry32(next.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of the client would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
