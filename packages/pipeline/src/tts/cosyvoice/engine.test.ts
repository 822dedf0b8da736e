/** The CosyVoice engine over real gRPC against the local stand-in that serves the upstream proto. */
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { makeAudio, startFakeCosyVoice } from "@vitranslator/testkit";
import { useFakeCosyVoice, useTmpDir } from "@vitranslator/testkit/hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWavFormat } from "../../audio/wav";
import { isPipelineError } from "../../errors";
import { CosyVoiceEngine, normaliseCosyVoiceAddress } from "./engine";
import type { CosyVoiceOptions } from "./engine";

const server = useFakeCosyVoice({ sampleRate: 24_000 });
let engine: CosyVoiceEngine;
const tmp = useTmpDir();
let reference: string;

beforeAll(async () => {
  engine = new CosyVoiceEngine({
    address: server.address,
    version: 2,
    speakerId: "英文男",
    timeoutMs: 10_000,
  });
  // 2 s at 44.1 kHz stereo: the engine must send it as 16 kHz mono int16.
  reference = await makeAudio({ out: join(tmp.dir, "ref.wav"), durationS: 2, channels: 2 });
});
afterAll(() => {
  engine?.close();
});

async function failure(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPipelineError(err)) throw new Error(`expected a PipelineError, got ${String(err)}`);
  return { code: err.code, category: err.category, message: err.message };
}

/** How saying a short line into `file` fails (with the shared engine unless `e` is given). */
const sayFailure = (file: string, opts: { e?: CosyVoiceEngine; text?: string; language?: string } = {}) =>
  failure(
    (opts.e ?? engine).synthesize({
      text: opts.text ?? "hi",
      language: opts.language ?? "en",
      outPath: join(tmp.dir, file),
    }),
  );

/** An engine for one test, closed after it whatever happens. */
async function withEngine(opts: CosyVoiceOptions, use: (e: CosyVoiceEngine) => Promise<void>): Promise<void> {
  const e = new CosyVoiceEngine(opts);
  try {
    await use(e);
  } finally {
    e.close();
  }
}

describe("CosyVoiceEngine", () => {
  it("clones zero-shot with the prompt audio and text, and joins the streamed chunks into 44.1 kHz WAV", async () => {
    const text = "Bonjour, ceci est un essai.";
    const res = await engine.synthesize({
      text,
      language: "en",
      outPath: join(tmp.dir, "zs.wav"),
      referenceAudio: reference,
      referenceText: "Hello, this is a test.",
      referenceLanguage: "en-US",
    });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req).toMatchObject({ mode: "zero_shot", ttsText: text, promptText: "Hello, this is a test." });
    // 2 s × 16 000 samples × 2 bytes.
    expect(req.promptAudio?.length).toBeGreaterThan(63_000);
    expect(req.promptAudio?.length).toBeLessThan(65_000);
    // The tone is the same sine ffmpeg made, so the PCM is not silent.
    expect(Math.abs(req.promptAudio!.readInt16LE(200))).toBeGreaterThan(100);
    expect(await readWavFormat(res.path)).toMatchObject({
      sampleRate: 44_100,
      channels: 1,
      bitsPerSample: 16,
    });
    expect(res.durationMs).toBeCloseTo(server.toneMs(text), -2);
  });

  it("goes cross-lingual when the target language differs from the reference's", async () => {
    await engine.synthesize({
      text: "Guten Tag",
      language: "zh",
      outPath: join(tmp.dir, "cl.wav"),
      referenceAudio: reference,
      referenceText: "Hello",
      referenceLanguage: "en",
    });
    expect(server.requests[0]).toMatchObject({ mode: "cross_lingual", ttsText: "Guten Tag" });
    expect(server.requests[0]?.promptAudio?.length).toBeGreaterThan(63_000);
  });

  it("speaks with the configured speaker when there is no reference clip", async () => {
    const res = await engine.synthesize({
      text: "Hello world",
      language: "en",
      outPath: join(tmp.dir, "sft.wav"),
    });
    expect(server.requests[0]).toEqual({ mode: "sft", ttsText: "Hello world", spkId: "英文男" });
    expect(res.durationMs).toBeCloseTo(server.toneMs("Hello world"), -2);
  });

  it("reads the stream at the configured rate (v1: 22050 Hz)", async () => {
    const v1Server = await startFakeCosyVoice({ sampleRate: 22_050, chunks: 5 });
    const v1 = new CosyVoiceEngine({ address: v1Server.address, version: 1, speakerId: "中文女" });
    try {
      expect(v1.sampleRate).toBe(22_050);
      const res = await v1.synthesize({
        text: "你好世界，今天天气很好。",
        language: "zh",
        outPath: join(tmp.dir, "v1.wav"),
        referenceAudio: reference,
        referenceLanguage: "en",
      });
      expect(v1Server.requests[0]?.ttsText).toBe("<|zh|>你好世界，今天天气很好。");
      // The tone follows the text received, language tag included.
      expect(res.durationMs).toBeCloseTo(v1Server.toneMs(v1Server.requests[0]!.ttsText), -2);
    } finally {
      v1.close();
      await v1Server.close();
    }
  });

  it("reports an unreachable server as TTS_UNAVAILABLE (retried), naming the address", async () => {
    await withEngine({ address: "127.0.0.1:1", speakerId: "x", timeoutMs: 5000 }, async (down) => {
      const f = await sayFailure("down.wav", { e: down });
      expect(f).toMatchObject({ code: "TTS_UNAVAILABLE", category: "third_party" });
      expect(f.message).toContain("127.0.0.1:1");
      expect(f.message).toContain("COSYVOICE_ADDR");
    });
  });

  it("maps the server's refusals: bad request and unknown speaker → user errors, other exceptions → retried", async () => {
    server.setBehaviour({ fail: { code: grpc.status.INVALID_ARGUMENT, details: "bad text", times: 1 } });
    const bad = await sayFailure("b.wav");
    expect(bad).toMatchObject({ code: "TTS_BAD_REQUEST", category: "user" });
    expect(bad.message).toContain("bad text");

    await withEngine({ address: server.address, speakerId: "nobody" }, async (unknownSpk) => {
      const f = await sayFailure("u.wav", { e: unknownSpk });
      // The KeyError of the server's spk2info lookup: a configuration error, not retried.
      expect(f).toMatchObject({ code: "TTS_CONFIG", category: "user" });
      expect(f.message).toContain('"nobody"');
      expect(f.message).toContain("CosyVoice-300M-SFT");
    });

    server.setBehaviour({
      fail: {
        code: grpc.status.UNKNOWN,
        details: "Exception iterating responses: CUDA out of memory",
        times: 1,
      },
    });
    const oom = await sayFailure("o.wav");
    expect(oom).toMatchObject({ code: "TTS_SERVER_ERROR", category: "third_party" });
  });

  it("an upstream ≥ 622a3a1 server with its own server.py (prompt as tensor) fails at once, naming the fix", async () => {
    const unpatched = await startFakeCosyVoice({ upstream: "unpatched-file-prompt" });
    const v3 = new CosyVoiceEngine({ address: unpatched.address, version: 3, speakerId: "英文男" });
    try {
      for (const referenceLanguage of ["en", "fr"]) {
        const f = await failure(
          v3.synthesize({
            text: "Hello there",
            language: "en",
            outPath: join(tmp.dir, "mm.wav"),
            referenceAudio: reference,
            referenceText: "Bonjour",
            referenceLanguage,
          }),
        );
        expect(f).toMatchObject({ code: "TTS_SERVER_MISMATCH", category: "user" });
        expect(f.message).toContain("server.py");
        expect(f.message).toContain("16 kHz WAV");
        expect(f.message).toContain("d985100");
      }
      expect(unpatched.requests.map((r) => r.mode)).toEqual(["zero_shot", "cross_lingual"]);
      // The reverse: server.py patched (prompt as a file) on a checkout older than 622a3a1.
      server.setBehaviour({
        fail: {
          code: grpc.status.UNKNOWN,
          details: "Exception iterating responses: 'str' object has no attribute 'is_floating_point'",
          times: 1,
        },
      });
      const old = await failure(
        engine.synthesize({
          text: "Hi",
          language: "zh",
          outPath: join(tmp.dir, "mm2.wav"),
          referenceAudio: reference,
        }),
      );
      expect(old).toMatchObject({ code: "TTS_SERVER_MISMATCH", category: "user" });
      expect(old.message).toContain("3b44913");
      // The same server still speaks with a built-in speaker (no prompt audio involved).
      await v3.synthesize({ text: "Hello", language: "en", outPath: join(tmp.dir, "mm-sft.wav") });
      expect(unpatched.requests.at(-1)?.mode).toBe("sft");
    } finally {
      v3.close();
      await unpatched.close();
    }
  });

  it("v3: every request carries the <|endofprompt|> marker (zero-shot in the prompt text, cross-lingual and sft in the text)", async () => {
    const v3 = new CosyVoiceEngine({ address: server.address, version: 3, speakerId: "中文女" });
    const marker = "You are a helpful assistant.<|endofprompt|>";
    try {
      const base = { language: "de", referenceAudio: reference, referenceText: "Guten Morgen" };
      await v3.synthesize({
        ...base,
        text: "Hallo Welt",
        outPath: join(tmp.dir, "v3a.wav"),
        referenceLanguage: "de",
      });
      await v3.synthesize({
        ...base,
        text: "Hallo Welt",
        outPath: join(tmp.dir, "v3b.wav"),
        referenceLanguage: "en",
      });
      await v3.synthesize({ text: "你好", language: "zh", outPath: join(tmp.dir, "v3c.wav") });
      expect(server.requests).toEqual([
        expect.objectContaining({
          mode: "zero_shot",
          ttsText: "Hallo Welt",
          promptText: `${marker}Guten Morgen`,
        }),
        expect.objectContaining({ mode: "cross_lingual", ttsText: `${marker}Hallo Welt` }),
        { mode: "sft", ttsText: `${marker}你好`, spkId: "中文女" },
      ]);
    } finally {
      v3.close();
    }
  });

  it("gives up at the deadline, and stops at once when aborted", async () => {
    server.setBehaviour({ hang: true });
    await withEngine({ address: server.address, speakerId: "英文男", timeoutMs: 300 }, async (quick) => {
      const f = await sayFailure("t.wav", { e: quick });
      expect(f).toMatchObject({ code: "TTS_TIMEOUT", category: "third_party" });
      const ac = new AbortController();
      const pending = engine.synthesize({
        text: "hi",
        language: "en",
        outPath: join(tmp.dir, "a.wav"),
        signal: ac.signal,
      });
      ac.abort();
      expect(((await pending.catch((e: unknown) => e)) as Error).name).toBe("AbortError");
    });
  });

  it("refuses what it cannot do before calling the server", async () => {
    expect(engine.supports("fr")).toBe(false);
    const lang = await sayFailure("f.wav", { text: "x", language: "fr" });
    expect(lang).toMatchObject({ code: "UNSUPPORTED_LANGUAGE", category: "user" });
    await withEngine({ address: server.address }, async (noVoice) => {
      const f = await sayFailure("n.wav", { e: noVoice, text: "x" });
      expect(f).toMatchObject({ code: "TTS_NO_VOICE", category: "user" });
    });
    expect(server.requests).toHaveLength(0);
  });

  it("normalises addresses and refuses ones without a port", () => {
    expect(normaliseCosyVoiceAddress(" http://gpu-1:50000/ ")).toBe("gpu-1:50000");
    expect(normaliseCosyVoiceAddress("[::1]:50000")).toBe("[::1]:50000");
    expect(() => normaliseCosyVoiceAddress("gpu-1")).toThrow(/COSYVOICE_ADDR/);
  });
});
