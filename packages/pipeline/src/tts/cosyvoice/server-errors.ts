/**
 * Answers of the official CosyVoice gRPC server that mean "this server and this client (or
 * this server and its own cosyvoice package) do not fit together". Python exceptions in
 * the servicer reach us as UNKNOWN with grpcio's "Exception iterating responses: <error>"
 * (Inference is a generator); retrying them only repeats the failure, so they become user
 * errors (no retry) whose message names the fix.
 */
import { PipelineError } from "../../errors";

/** The upstream commit after which the inference functions read the prompt from a file. */
export const COSYVOICE_FILE_PROMPT_COMMIT = "622a3a1";
/** The last upstream commit whose unmodified server.py works (CosyVoice 1 and 2 only). */
export const COSYVOICE_LAST_TENSOR_COMMIT = "d985100";
/** The first upstream commit whose server.py loads CosyVoice 3 (AutoModel). */
export const COSYVOICE_AUTOMODEL_COMMIT = "3b44913";

const FIX_HINT = "see the README, Engines → Speech engines → CosyVoice";

/** The Python error text inside grpcio's wrapper ("Exception iterating responses: …"). */
function pythonError(details: string): string {
  return details.replace(/^Exception (?:iterating responses|calling application): /, "");
}

export function cosyVoiceMismatch(opts: {
  details: string;
  where: string;
  speakerId?: string | undefined;
  cause: unknown;
}): PipelineError | null {
  const err = pythonError(opts.details);
  const where = opts.where.charAt(0).toUpperCase() + opts.where.slice(1);
  const make = (code: string, message: string) =>
    new PipelineError({ code, category: "user", message, cause: opts.cause });
  // soundfile's TypeError for a tensor given where a file is expected.
  if (/Invalid file: tensor\(/.test(err)) {
    return make(
      "TTS_SERVER_MISMATCH",
      `${where} cannot read the voice prompt: its cosyvoice package is from ${COSYVOICE_FILE_PROMPT_COMMIT} (2025-12) or later, ` +
        `where the inference functions load the prompt from a file, but its runtime/python/grpc/server.py still passes a tensor. ` +
        `Patch server.py to hand the prompt over as a 16 kHz WAV, or run upstream ${COSYVOICE_LAST_TENSOR_COMMIT} for CosyVoice 1/2 (${FIX_HINT}).`,
    );
  }
  // The reverse: a patched server.py (file prompt) on a package that still wants a tensor.
  if (/'(?:str|_io\.BytesIO|BytesIO|_TemporaryFileWrapper)' object has no attribute/.test(err)) {
    return make(
      "TTS_SERVER_MISMATCH",
      `${where} passes the voice prompt as a file, but its cosyvoice package is older than ${COSYVOICE_FILE_PROMPT_COMMIT} and wants a tensor ` +
        `(${err.slice(0, 120)}). Update the server checkout to ${COSYVOICE_AUTOMODEL_COMMIT} or later, or undo the server.py change (${FIX_HINT}).`,
    );
  }
  // frontend_sft's spk2info[spk_id]: a KeyError prints as the quoted key.
  if (opts.speakerId && err === `'${opts.speakerId}'`) {
    return make(
      "TTS_CONFIG",
      `${where} has no speaker "${opts.speakerId}" (COSYVOICE_SPK_ID). Built-in speakers such as 中文女 and 英文男 exist only in ` +
        `CosyVoice-300M-SFT; CosyVoice2/3 know only speakers saved on the server with add_zero_shot_spk + save_spkinfo. ` +
        `Set COSYVOICE_SPK_ID to one of the server model's speakers, or leave it empty.`,
    );
  }
  return null;
}
