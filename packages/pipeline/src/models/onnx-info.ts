/**
 * What sherpa-onnx looks at in an ONNX file before it runs it — the custom metadata and the
 * graph's input and output names — read straight from the protobuf, without a runtime:
 * ModelProto graph = 7, metadata_props = 14 (key = 1, value = 2); GraphProto initializer = 5,
 * input = 11, output = 12; ValueInfoProto name = 1; TensorProto name = 8 (onnx.proto).
 * Weights and nodes are skipped by their length, so a 300 MB model costs a few reads.
 */
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { PipelineError } from "../errors";

export interface OnnxInfo {
  metadata: Record<string, string>;
  /** Graph inputs that are not initializers (what a session reports as its inputs). */
  inputs: string[];
  outputs: string[];
}

const CHUNK = 64 * 1024;
/** Longest metadata entry or name read into memory (Whisper's language lists are a few KB). */
const MAX_SMALL_FIELD = 8 * 1024 * 1024;

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

class NotOnnx extends Error {}

/** Sequential reads over a file with a small buffer; `skip` jumps without reading. */
class Cursor {
  pos = 0;
  #buf = Buffer.alloc(0);
  #bufStart = 0;
  readonly #fh: FileHandle;
  readonly size: number;

  constructor(fh: FileHandle, size: number) {
    this.#fh = fh;
    this.size = size;
  }

  async #fill(): Promise<void> {
    const inBuffer = this.pos >= this.#bufStart && this.pos + 10 <= this.#bufStart + this.#buf.length;
    if (inBuffer || this.pos >= this.size) return;
    const b = Buffer.alloc(Math.min(CHUNK, this.size - this.pos));
    const { bytesRead } = await this.#fh.read(b, 0, b.length, this.pos);
    this.#buf = b.subarray(0, bytesRead);
    this.#bufStart = this.pos;
  }

  async varint(): Promise<number> {
    await this.#fill();
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.#buf[this.pos - this.#bufStart];
      if (byte === undefined || this.pos >= this.size) throw new NotOnnx("truncated varint");
      this.pos++;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new NotOnnx("varint longer than 10 bytes");
  }

  async bytes(n: number): Promise<Buffer> {
    if (n > MAX_SMALL_FIELD) throw new NotOnnx(`field of ${n} bytes where a short string belongs`);
    const b = Buffer.alloc(n);
    const { bytesRead } = await this.#fh.read(b, 0, n, this.pos);
    if (bytesRead !== n) throw new NotOnnx("truncated field");
    this.pos += n;
    return b;
  }

  skip(n: number, end: number): void {
    this.pos += n;
    if (this.pos > end) throw new NotOnnx("field runs past its message");
  }
}

interface Field {
  field: number;
  wire: number;
  /** Byte length for length-delimited fields; the cursor stands at their first byte. */
  length: number;
}

/** Calls `visit` for each field of the message in [cursor.pos, end); unvisited bytes are skipped. */
async function eachField(
  c: Cursor,
  end: number,
  visit: (f: Field, fieldEnd: number) => Promise<void>,
): Promise<void> {
  while (c.pos < end) {
    const tag = await c.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new NotOnnx("field number 0");
    switch (wire) {
      case WIRE_VARINT:
        await c.varint();
        break;
      case WIRE_I64:
        c.skip(8, end);
        break;
      case WIRE_I32:
        c.skip(4, end);
        break;
      case WIRE_LEN: {
        const length = await c.varint();
        const fieldEnd = c.pos + length;
        if (fieldEnd > end) throw new NotOnnx("length-delimited field runs past its message");
        await visit({ field, wire, length }, fieldEnd);
        c.pos = fieldEnd;
        break;
      }
      default:
        throw new NotOnnx(`wire type ${wire}`);
    }
  }
  if (c.pos !== end) throw new NotOnnx("message ends inside a field");
}

/** The string field `want` of the sub-message at the cursor. */
async function nameOf(c: Cursor, end: number, want: number): Promise<string> {
  let name = "";
  await eachField(c, end, async (f) => {
    if (f.field === want) name = (await c.bytes(f.length)).toString("utf8");
  });
  return name;
}

export async function readOnnxInfo(file: string): Promise<OnnxInfo> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(file, "r");
    const { size } = await fh.stat();
    const c = new Cursor(fh, size);
    const metadata: Record<string, string> = {};
    const inputs: string[] = [];
    const outputs: string[] = [];
    const initializers = new Set<string>();
    let hasGraph = false;
    await eachField(c, size, async (f, fieldEnd) => {
      if (f.field === 14) {
        let key = "";
        let value = "";
        await eachField(c, fieldEnd, async (e) => {
          const text = (await c.bytes(e.length)).toString("utf8");
          if (e.field === 1) key = text;
          else if (e.field === 2) value = text;
        });
        metadata[key] = value;
      } else if (f.field === 7) {
        hasGraph = true;
        await eachField(c, fieldEnd, async (g, gEnd) => {
          if (g.field === 5) initializers.add(await nameOf(c, gEnd, 8));
          else if (g.field === 11) inputs.push(await nameOf(c, gEnd, 1));
          else if (g.field === 12) outputs.push(await nameOf(c, gEnd, 1));
        });
      }
    });
    if (!hasGraph) throw new NotOnnx("no graph");
    return { metadata, inputs: inputs.filter((i) => !initializers.has(i)), outputs };
  } catch (cause) {
    if (cause instanceof NotOnnx) {
      throw new PipelineError({
        code: "MODEL_INVALID",
        category: "user",
        message: `${file} is not a readable ONNX model (${cause.message}); download it again.`,
        cause,
      });
    }
    throw cause;
  } finally {
    await fh?.close();
  }
}
