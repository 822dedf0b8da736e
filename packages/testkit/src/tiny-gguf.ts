/**
 * Writes a tiny but complete llama-architecture GGUF model (a few hundred KB) for tests of
 * the embedded translator: real llama.cpp loads it, tokenizes with it and generates from
 * it. Its weights are seeded noise, so what it says is gibberish — tests check what must
 * hold whatever the model says (grammar-constrained JSON parses, one line per input).
 *
 * GGUF v3 layout (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic
 * "GGUF", version, tensor count, metadata count, the metadata key/values, the tensor infos
 * (name, dims innermost first, type, offset into the data section), padding to
 * `general.alignment`, then the tensor data, each tensor aligned.
 *
 * The vocabulary is SentencePiece-style ("llama" tokenizer): <unk>, <s>, </s>, the 256 byte
 * tokens <0x00>…<0xFF> (so any UTF-8 text can be tokenized and generated), "▁" and the
 * printable ASCII characters, and the ChatML markers <|im_start|> / <|im_end|> with a ChatML
 * chat template, as Qwen models have.
 */
import { writeFile } from "node:fs/promises";

export interface TinyGgufOptions {
  /** Seed of the weights: the same seed writes the same bytes. */
  seed?: number;
  embedding?: number;
  layers?: number;
  heads?: number;
  feedForward?: number;
  contextLength?: number;
}

const ALIGNMENT = 32;

enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
}

/** SentencePiece token types as llama.cpp reads them. */
const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

type Meta =
  | { type: "u32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "str"; value: string }
  | { type: "strs"; value: string[] }
  | { type: "f32s"; value: number[] }
  | { type: "i32s"; value: number[] };

const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export function tinyVocabulary(): { tokens: string[]; types: number[]; scores: number[] } {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_BYTE);
  }
  tokens.push("\u2581");
  types.push(TOKEN_NORMAL);
  for (let c = 0x21; c < 0x7f; c++) {
    tokens.push(String.fromCharCode(c));
    types.push(TOKEN_NORMAL);
  }
  tokens.push("<|im_start|>", "<|im_end|>");
  types.push(TOKEN_CONTROL, TOKEN_CONTROL);
  const scores = tokens.map((_, i) => (types[i] === TOKEN_NORMAL ? -i : 0));
  return { tokens, types, scores };
}

/** Deterministic normal-ish noise (xorshift32 + sum of uniforms). */
function noise(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
  return () => next() + next() + next() - 1.5;
}

interface Tensor {
  name: string;
  /** ggml order: innermost dimension first. */
  dims: number[];
  data: Float32Array;
}

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  private push(b: Buffer) {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string) {
    const b = Buffer.from(s, "utf8");
    this.u64(b.length);
    this.push(b);
  }
  raw(b: Buffer) {
    this.push(b);
  }
  pad() {
    const rest = this.length % ALIGNMENT;
    if (rest !== 0) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  buffer() {
    return Buffer.concat(this.chunks);
  }
}

/** A value of `type`, written by `write`. */
function typed(w: Writer, type: ValueType, write: () => void): void {
  w.u32(type);
  write();
}

/** An array: element type, count, then each element. */
function array<T>(w: Writer, type: ValueType, values: readonly T[], write: (v: T) => void): void {
  w.u32(ValueType.ARRAY);
  w.u32(type);
  w.u64(values.length);
  for (const v of values) write(v);
}

function writeMeta(w: Writer, key: string, m: Meta): void {
  w.str(key);
  switch (m.type) {
    case "u32":
      return typed(w, ValueType.UINT32, () => w.u32(m.value));
    case "f32":
      return typed(w, ValueType.FLOAT32, () => w.f32(m.value));
    case "bool":
      return typed(w, ValueType.BOOL, () => w.raw(Buffer.from([m.value ? 1 : 0])));
    case "str":
      return typed(w, ValueType.STRING, () => w.str(m.value));
    case "strs":
      return array(w, ValueType.STRING, m.value, (v) => w.str(v));
    case "f32s":
      return array(w, ValueType.FLOAT32, m.value, (v) => w.f32(v));
    case "i32s":
      return array(w, ValueType.INT32, m.value, (v) => w.i32(v));
  }
}

/** The bytes of a tiny llama GGUF model. */
export function buildTinyGguf(opts: TinyGgufOptions = {}): Buffer {
  const nEmbd = opts.embedding ?? 64;
  const nLayer = opts.layers ?? 2;
  const nHead = opts.heads ?? 4;
  const nFf = opts.feedForward ?? 128;
  const nCtx = opts.contextLength ?? 8192;
  const vocab = tinyVocabulary();
  const nVocab = vocab.tokens.length;
  const rand = noise(opts.seed ?? 1);

  const weights = (dims: number[], scale: number): Float32Array => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rand() * scale;
    return data;
  };
  const ones = (n: number) => new Float32Array(n).fill(1);
  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [nEmbd, nVocab], data: weights([nEmbd, nVocab], 0.5) },
    { name: "output_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "output.weight", dims: [nEmbd, nVocab], data: weights([nEmbd, nVocab], 0.5) },
  ];
  for (let l = 0; l < nLayer; l++) {
    const p = `blk.${l}.`;
    const sq = [nEmbd, nEmbd];
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}attn_q.weight`, dims: sq, data: weights(sq, 0.1) },
      { name: `${p}attn_k.weight`, dims: sq, data: weights(sq, 0.1) },
      { name: `${p}attn_v.weight`, dims: sq, data: weights(sq, 0.1) },
      { name: `${p}attn_output.weight`, dims: sq, data: weights(sq, 0.1) },
      { name: `${p}ffn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}ffn_gate.weight`, dims: [nEmbd, nFf], data: weights([nEmbd, nFf], 0.1) },
      { name: `${p}ffn_up.weight`, dims: [nEmbd, nFf], data: weights([nEmbd, nFf], 0.1) },
      { name: `${p}ffn_down.weight`, dims: [nFf, nEmbd], data: weights([nFf, nEmbd], 0.1) },
    );
  }

  const meta: [string, Meta][] = [
    ["general.architecture", { type: "str", value: "llama" }],
    ["general.name", { type: "str", value: "vitranslator-tiny-test" }],
    ["general.alignment", { type: "u32", value: ALIGNMENT }],
    ["general.file_type", { type: "u32", value: 0 }],
    ["llama.context_length", { type: "u32", value: nCtx }],
    ["llama.embedding_length", { type: "u32", value: nEmbd }],
    ["llama.block_count", { type: "u32", value: nLayer }],
    ["llama.feed_forward_length", { type: "u32", value: nFf }],
    ["llama.attention.head_count", { type: "u32", value: nHead }],
    ["llama.attention.head_count_kv", { type: "u32", value: nHead }],
    ["llama.rope.dimension_count", { type: "u32", value: nEmbd / nHead }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: 1e-5 }],
    ["llama.vocab_size", { type: "u32", value: nVocab }],
    ["tokenizer.ggml.model", { type: "str", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "strs", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "f32s", value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: "i32s", value: vocab.types }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: 0 }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: 1 }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: vocab.tokens.indexOf("<|im_end|>") }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
    ["tokenizer.chat_template", { type: "str", value: CHATML_TEMPLATE }],
  ];

  const w = new Writer();
  w.raw(Buffer.from("GGUF", "ascii"));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(meta.length);
  for (const [key, m] of meta) writeMeta(w, key, m);
  let offset = 0;
  const aligned = (n: number) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(0); // GGML_TYPE_F32
    w.u64(offset);
    offset += aligned(t.data.byteLength);
  }
  w.pad();
  for (const t of tensors) {
    w.raw(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.pad();
  }
  return w.buffer();
}

/** Writes a tiny llama GGUF model to `file` and returns its size in bytes. */
export async function writeTinyGguf(file: string, opts: TinyGgufOptions = {}): Promise<number> {
  const bytes = buildTinyGguf(opts);
  await writeFile(file, bytes);
  return bytes.length;
}
