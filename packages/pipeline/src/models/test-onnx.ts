/**
 * Test helper (not exported): ONNX files with the metadata and tensor names of sherpa-onnx's
 * exports, so loaders can be tested on generated model folders. The graph is one Identity
 * node; `weightBytes` adds an initializer of that size that readers must skip. Field numbers
 * are from onnx.proto.
 */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
};
const tag = (f: number, w: number) => varint((f << 3) | w);
const int = (f: number, n: number) => [...tag(f, 0), ...varint(n)];
const bytes = (f: number, b: readonly number[] | Uint8Array) => [...tag(f, 2), ...varint(b.length), ...b];
const str = (f: number, s: string) => bytes(f, Buffer.from(s, "utf8"));
const valueInfo = (name: string) => [...str(1, name), ...bytes(2, bytes(1, int(1, 1)))];

export function sherpaLikeOnnx(opts: {
  metadata: Record<string, string>;
  inputs?: readonly string[];
  outputs?: readonly string[];
  weightBytes?: number;
}): Buffer {
  const inputs = opts.inputs ?? ["x"];
  const outputs = opts.outputs ?? ["y"];
  const weight = opts.weightBytes
    ? bytes(5, [...int(1, opts.weightBytes / 4), ...int(2, 1), ...str(8, "weight"), ...bytes(9, new Uint8Array(opts.weightBytes))])
    : [];
  const graph = [
    ...bytes(1, [...str(1, inputs[0] ?? "x"), ...str(2, outputs[0] ?? "y"), ...str(4, "Identity")]),
    ...str(2, "sherpa-like"),
    ...weight,
    ...inputs.flatMap((i) => bytes(11, valueInfo(i))),
    // IR < 4 style: an initializer listed as an input is not a session input.
    ...(opts.weightBytes ? bytes(11, valueInfo("weight")) : []),
    ...outputs.flatMap((o) => bytes(12, valueInfo(o))),
  ];
  return Buffer.from([
    ...int(1, 7),
    ...str(2, "vitranslator-test"),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ""), ...int(2, 13)]),
    ...Object.entries(opts.metadata).flatMap(([k, v]) => bytes(14, [...str(1, k), ...str(2, v)])),
  ]);
}

/** Metadata as sherpa-onnx's export scripts write it (values shortened where only the form matters). */
export const SHERPA_METADATA = {
  piper: { model_type: "vits", comment: "piper", language: "English", voice: "en-us", n_speakers: "1", sample_rate: "22050", add_blank: "1" },
  icefallZh: { model_type: "vits", comment: "icefall", language: "Chinese", n_speakers: "174", sample_rate: "8000", add_blank: "1" },
  matchaZh: { model_type: "matcha-tts", language: "Chinese", voice: "zh", has_espeak: "0", jieba: "1", n_speakers: "1", sample_rate: "22050", version: "1", pad_id: "0", use_eos_bos: "1" },
  vocos: { model_type: "vocos", n_fft: "1024", hop_length: "256", win_length: "1024", center: "1", normalized: "0", window_type: "hann", pad_mode: "reflect" },
  /** Kokoro v1.0's keys with a small style_dim, so voices.bin is 4·1·8·3 floats. */
  kokoro: { model_type: "kokoro", version: "2", voice: "en-us", has_espeak: "1", n_speakers: "3", sample_rate: "24000", style_dim: "4,1,8" },
  senseVoice: {
    vocab_size: "25055", lfr_window_size: "7", lfr_window_shift: "6", normalize_samples: "0", with_itn: "14", without_itn: "15",
    lang_auto: "0", lang_zh: "3", lang_en: "4", lang_ja: "11", lang_ko: "12", lang_yue: "7", neg_mean: "-8.3,-9.1", inv_stddev: "0.24,0.25",
  },
  whisperEncoder: {
    n_mels: "80", n_text_layer: "4", n_text_ctx: "448", n_text_state: "384", n_vocab: "51865", sot: "50258", eot: "50257", blank_id: "220",
    translate: "50358", transcribe: "50359", is_multilingual: "1", no_timestamps: "50363", no_speech: "50362",
    sot_sequence: "50258,50259,50359", all_language_tokens: "50259,50260", all_language_codes: "en,zh",
  },
  pyannote: { sample_rate: "16000", window_size: "160000", receptive_field_size: "991", receptive_field_shift: "270", num_speakers: "3", powerset_max_classes: "2", num_classes: "7" },
  speaker3d: { framework: "3d-speaker", output_dim: "512", sample_rate: "16000", normalize_samples: "1", language: "Chinese" },
} satisfies Record<string, Record<string, string>>;

/** Bytes of a Kokoro voices.bin matching SHERPA_METADATA.kokoro. */
export const KOKORO_TEST_VOICES_BYTES = 4 * 1 * 8 * 3 * 4;
