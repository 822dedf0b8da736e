/** The sherpa TTS loader on generated model folders laid out like sherpa-onnx's release archives. */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KOKORO_TEST_VOICES_BYTES, SHERPA_METADATA, sherpaLikeOnnx } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { PipelineError } from "../../errors";
import {
  accentFor,
  detectTtsKind,
  guessTtsLanguages,
  kokoroLexicons,
  loadSherpaTtsModel,
  MATCHA_VOCODER_URL,
  orderRuleFsts,
  ttsConfig,
} from "./loader";

const tmp = useTmpDir("vt-tts-models-", { each: true });

/** Writes files into MODELS_DIR: "x/" is a folder, Buffers are written as given. */
async function folder(files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(tmp.dir, rel);
    await mkdir(rel.endsWith("/") ? p : path.dirname(p), { recursive: true });
    if (!rel.endsWith("/")) await writeFile(p, content);
  }
}

async function failure(p: Promise<unknown>, code: string): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipelineError);
  expect([(err as PipelineError).code, (err as PipelineError).category]).toEqual([code, "user"]);
  return (err as PipelineError).message;
}

const base = (p: string | undefined) => (p ?? "").split(",").map((f) => path.basename(f));
const cfg = (c: object) =>
  c as { model: Record<string, Record<string, string>>; ruleFsts?: string; ruleFars?: string };

const KOKORO = "kokoro-multi-lang-v1_0";
const kokoroFiles = (
  meta: Record<string, string> = SHERPA_METADATA.kokoro,
  voices = KOKORO_TEST_VOICES_BYTES,
) => ({
  [`${KOKORO}/model.onnx`]: sherpaLikeOnnx({ metadata: meta, weightBytes: 4096 }),
  [`${KOKORO}/voices.bin`]: Buffer.alloc(voices),
  [`${KOKORO}/tokens.txt`]: "a 0\n",
  [`${KOKORO}/lexicon-gb-en.txt`]: "tomato t ə m ɑː t əʊ\n",
  [`${KOKORO}/lexicon-us-en.txt`]: "tomato t ə m eɪ t oʊ\n",
  [`${KOKORO}/lexicon-zh.txt`]: "你 n i3\n",
  [`${KOKORO}/date-zh.fst`]: "fst",
  [`${KOKORO}/number-zh.fst`]: "fst",
  [`${KOKORO}/phone-zh.fst`]: "fst",
  [`${KOKORO}/espeak-ng-data/`]: "",
});

/** matcha-icefall-zh-baker.tar.bz2 as released: no vocoder inside. */
const BAKER = "matcha-icefall-zh-baker";
const bakerFiles = (meta: Record<string, string> = SHERPA_METADATA.matchaZh, outputs = ["mel"]) => ({
  [`${BAKER}/model-steps-3.onnx`]: sherpaLikeOnnx({
    metadata: meta,
    inputs: ["x", "x_length", "noise_scale", "length_scale"],
    outputs,
  }),
  [`${BAKER}/tokens.txt`]: "a 0\n",
  [`${BAKER}/lexicon.txt`]: "你 n i3\n",
  [`${BAKER}/date.fst`]: "fst",
  [`${BAKER}/number.fst`]: "fst",
  [`${BAKER}/phone.fst`]: "fst",
});

describe("TTS model detection", () => {
  it("tells Kokoro, Matcha (even without its vocoder) and VITS apart by their files", () => {
    expect(detectTtsKind(["model.onnx", "voices.bin", "tokens.txt"])).toBe("kokoro");
    expect(detectTtsKind(["model-steps-3.onnx", "tokens.txt", "lexicon.txt", "date.fst"])).toBe("matcha");
    expect(detectTtsKind(["model-steps-3.onnx", "vocos-22khz-univ.onnx", "tokens.txt"])).toBe("matcha");
    expect(detectTtsKind(["model.onnx", "tokens.txt"], "matcha-icefall-en_US-ljspeech")).toBe("matcha");
    expect(detectTtsKind(["en_US-amy-low.onnx", "tokens.txt"])).toBe("vits");
    expect(detectTtsKind(["README.md"])).toBeNull();
    expect(guessTtsLanguages("vits-piper-de_DE-thorsten-low", "vits")).toEqual(["de"]);
    expect(guessTtsLanguages(KOKORO, "kokoro")).toEqual(["en", "zh"]);
    expect(guessTtsLanguages(BAKER, "matcha")).toEqual(["zh"]);
  });

  it("orders rule FSTs as sherpa's examples do (phone, date, number, then the rest)", () => {
    expect(
      orderRuleFsts(["number.fst", "date.fst", "new_heteronym.fst", "phone.fst", "lexicon.txt"]),
    ).toEqual(["phone.fst", "date.fst", "number.fst", "new_heteronym.fst"]);
    expect(orderRuleFsts(["date-zh.fst", "number-zh.fst", "phone-zh.fst"])).toEqual([
      "phone-zh.fst",
      "date-zh.fst",
      "number-zh.fst",
    ]);
  });
});

describe("Kokoro", () => {
  it("passes the US lexicon then the Chinese one (never both English ones), and the rule FSTs in order", async () => {
    await folder(kokoroFiles());
    const m = await loadSherpaTtsModel({ modelsDir: tmp.dir, name: KOKORO });
    expect(m.kind).toBe("kokoro");
    const c = cfg(ttsConfig({ model: m }));
    const k = c.model.kokoro ?? {};
    expect(base(k.lexicon)).toEqual(["lexicon-us-en.txt", "lexicon-zh.txt"]);
    expect(k.lang).toBeUndefined();
    expect(k.dataDir).toMatch(/espeak-ng-data$/);
    expect(base(k.voices)).toEqual(["voices.bin"]);
    expect(base(c.ruleFsts)).toEqual(["phone-zh.fst", "date-zh.fst", "number-zh.fst"]);
    expect(c).toMatchObject({ maxNumSentences: 1, model: { numThreads: 2, provider: "cpu", debug: 0 } });
    expect(c.ruleFars).toBeUndefined();
  });

  it("speaks British English for en-GB: the gb lexicon and espeak-ng's en-gb voice", async () => {
    await folder(kokoroFiles());
    const m = await loadSherpaTtsModel({ modelsDir: tmp.dir, name: KOKORO });
    expect([
      accentFor("en-GB"),
      accentFor("en_uk"),
      accentFor("en-US"),
      accentFor("en"),
      accentFor("zh"),
    ]).toEqual(["gb", "gb", "us", "us", "us"]);
    const gb = cfg(ttsConfig({ model: m, accent: "gb" })).model.kokoro ?? {};
    expect(base(gb.lexicon)).toEqual(["lexicon-gb-en.txt", "lexicon-zh.txt"]);
    expect(gb.lang).toBe("en-gb");
    expect(cfg(ttsConfig({ model: m, accent: "us" }))).toEqual(cfg(ttsConfig({ model: m })));
    expect(kokoroLexicons(["lexicon-gb-en.txt", "lexicon.txt"], "us")).toEqual([
      "lexicon-gb-en.txt",
      "lexicon.txt",
    ]);
  });

  it("refuses, before sherpa would end the process, a voices.bin of the wrong size or a v1.0 model without lexicons", async () => {
    await folder(kokoroFiles(SHERPA_METADATA.kokoro, KOKORO_TEST_VOICES_BYTES - 4));
    expect(
      await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: KOKORO }), "MODEL_INVALID"),
    ).toContain("voices.bin");
    await rm(tmp.dir, { recursive: true });
    const {
      [`${KOKORO}/lexicon-gb-en.txt`]: _g,
      [`${KOKORO}/lexicon-us-en.txt`]: _u,
      [`${KOKORO}/lexicon-zh.txt`]: _z,
      ...noLexicon
    } = kokoroFiles();
    await folder(noLexicon);
    expect(
      await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: KOKORO }), "MODEL_INVALID"),
    ).toContain("lexicon");
    const { style_dim: _s, ...noStyle } = SHERPA_METADATA.kokoro;
    await folder(kokoroFiles(noStyle));
    expect(
      await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: KOKORO }), "MODEL_INVALID"),
    ).toContain("style_dim is missing");
  });
});

describe("Matcha", () => {
  it("reports the vocoder the upstream archive lacks as MODEL_MISSING, naming the file to fetch", async () => {
    await folder(bakerFiles());
    const message = await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: BAKER }), "MODEL_MISSING");
    expect(message).toContain(MATCHA_VOCODER_URL);
    expect(message).toContain(path.resolve(tmp.dir));
  });

  it("uses MODELS_DIR/vocos-22khz-univ.onnx, with the lexicon and rule FSTs of sherpa's Matcha example", async () => {
    await folder({
      ...bakerFiles(),
      "vocos-22khz-univ.onnx": sherpaLikeOnnx({ metadata: SHERPA_METADATA.vocos }),
    });
    const m = await loadSherpaTtsModel({ modelsDir: tmp.dir, name: BAKER });
    expect(m.kind).toBe("matcha");
    const c = cfg(ttsConfig({ model: m }));
    expect(c.model.matcha).toMatchObject({
      acousticModel: path.join(tmp.dir, BAKER, "model-steps-3.onnx"),
      vocoder: path.join(tmp.dir, "vocos-22khz-univ.onnx"),
      lexicon: path.join(tmp.dir, BAKER, "lexicon.txt"),
      tokens: path.join(tmp.dir, BAKER, "tokens.txt"),
    });
    expect(base(c.ruleFsts)).toEqual(["phone.fst", "date.fst", "number.fst"]);
  });

  it("refuses a vocoder sherpa does not know, and needs none for an export with the vocoder built in", async () => {
    await folder({ ...bakerFiles(), "vocos-22khz-univ.onnx": sherpaLikeOnnx({ metadata: {} }) });
    expect(await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: BAKER }), "MODEL_INVALID")).toContain(
      "model_type",
    );
    await rm(path.join(tmp.dir, "vocos-22khz-univ.onnx"));
    await folder(bakerFiles(SHERPA_METADATA.matchaZh, ["audio_output"]));
    const m = await loadSherpaTtsModel({ modelsDir: tmp.dir, name: BAKER });
    expect(cfg(ttsConfig({ model: m })).model.matcha?.vocoder).toBeUndefined();
  });
});

describe("VITS", () => {
  it("a model without VITS metadata (e.g. a Matcha acoustic model) is MODEL_INVALID, not a dead worker", async () => {
    await folder({
      "vits-mystery/model.onnx": sherpaLikeOnnx({
        metadata: { model_type: "matcha-tts", sample_rate: "22050" },
      }),
      "vits-mystery/tokens.txt": "a 0\n",
      "vits-mystery/lexicon.txt": "a a\n",
    });
    const message = await failure(
      loadSherpaTtsModel({ modelsDir: tmp.dir, name: "vits-mystery" }),
      "MODEL_INVALID",
    );
    expect(message).toContain("n_speakers is missing");
    expect(message).toContain("language is missing");
    expect(message).toContain("comment is missing");
  });

  it("Chinese VITS: lexicon, rule FSTs in order and rule.far", async () => {
    const name = "vits-icefall-zh-aishell3";
    await folder({
      [`${name}/model.onnx`]: sherpaLikeOnnx({ metadata: SHERPA_METADATA.icefallZh, weightBytes: 100_000 }),
      [`${name}/tokens.txt`]: "a 0\n",
      [`${name}/lexicon.txt`]: "你 n i3\n",
      [`${name}/date.fst`]: "fst",
      [`${name}/new_heteronym.fst`]: "fst",
      [`${name}/number.fst`]: "fst",
      [`${name}/phone.fst`]: "fst",
      [`${name}/rule.far`]: "far",
    });
    const m = await loadSherpaTtsModel({ modelsDir: tmp.dir, name });
    const c = cfg(ttsConfig({ model: m }));
    expect(m.languages).toEqual(["zh"]);
    expect(c.model.vits).toMatchObject({
      model: path.join(tmp.dir, name, "model.onnx"),
      lexicon: path.join(tmp.dir, name, "lexicon.txt"),
    });
    expect(base(c.ruleFsts)).toEqual(["phone.fst", "date.fst", "number.fst", "new_heteronym.fst"]);
    expect(c.ruleFars).toBe(path.join(tmp.dir, name, "rule.far"));
  });

  it("Piper: espeak-ng-data; an icefall model without a lexicon is refused", async () => {
    const piper = "vits-piper-en_US-amy-low";
    await folder({
      [`${piper}/en_US-amy-low.onnx`]: sherpaLikeOnnx({ metadata: SHERPA_METADATA.piper }),
      [`${piper}/tokens.txt`]: "a 0\n",
      [`${piper}/espeak-ng-data/`]: "",
    });
    const v = await loadSherpaTtsModel({ modelsDir: tmp.dir, name: piper });
    expect(cfg(ttsConfig({ model: v })).model.vits).toMatchObject({
      model: path.join(tmp.dir, piper, "en_US-amy-low.onnx"),
      dataDir: path.join(tmp.dir, piper, "espeak-ng-data"),
    });
    await folder({
      "vits-zh-x/model.onnx": sherpaLikeOnnx({
        metadata: { ...SHERPA_METADATA.icefallZh, comment: "other" },
      }),
      "vits-zh-x/tokens.txt": "a 0\n",
      "vits-zh-x/espeak-ng-data/": "",
    });
    expect(
      await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: "vits-zh-x" }), "MODEL_INVALID"),
    ).toContain("lexicon.txt");
  });

  it("names what a TTS folder lacks", async () => {
    expect(
      await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: "nothing-here" }), "MODEL_MISSING"),
    ).toContain("npm run models");
    await folder({ "kokoro-en/model.onnx": "x", "kokoro-en/voices.bin": "x", "kokoro-en/tokens.txt": "x" });
    expect(
      await failure(loadSherpaTtsModel({ modelsDir: tmp.dir, name: "kokoro-en" }), "MODEL_MISSING"),
    ).toContain("espeak-ng-data/ or lexicon.txt");
  });
});
