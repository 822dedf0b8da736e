/** The default model pack `npm run models` installs, from the projects' official releases. */
import { DEFAULT_SHERPA_ASR_MODEL } from "../asr/sherpa/loader";
import { DEFAULT_EMBEDDING_MODEL, DEFAULT_SEGMENTATION_MODEL } from "../diarization/sherpa";
import { DEFAULT_LLAMA_MODEL } from "../llm/llama-runtime";
import { DEFAULT_SHERPA_TTS_MODEL } from "../tts/sherpa/loader";

export interface ModelEntry {
  /** What it is for, shown to the user. */
  purpose: string;
  url: string;
  /** `file`: saved as `target` (a path inside MODELS_DIR); `tar.bz2`: extracted into MODELS_DIR and must yield `target`. */
  format: "file" | "tar.bz2";
  target: string;
  /** Pinned digest of the downloaded file; when absent the first download's digest is recorded (trust on first use). */
  sha256?: string;
  /** Approximate size for the user, in MB. */
  sizeMb?: number;
}

const SHERPA = "https://github.com/k2-fsa/sherpa-onnx/releases/download";
const QWEN = "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main";

export const DEFAULT_MODEL_PACK: readonly ModelEntry[] = [
  {
    purpose: "voice activity detection (Silero VAD)",
    url: `${SHERPA}/asr-models/silero_vad.onnx`,
    format: "file",
    target: "silero_vad.onnx",
    sha256: "9e2449e1087496d8d4caba907f23e0bd3f78d91fa552479bb9c23ac09cbb1fd6",
    sizeMb: 1,
  },
  {
    purpose: "speech recognition (SenseVoice small: zh, en, ja, ko, yue; int8 and float)",
    url: `${SHERPA}/asr-models/${DEFAULT_SHERPA_ASR_MODEL}.tar.bz2`,
    format: "tar.bz2",
    target: DEFAULT_SHERPA_ASR_MODEL,
    sizeMb: 1000,
  },
  {
    purpose: "text-to-speech (Kokoro multi-language: en, zh)",
    url: `${SHERPA}/tts-models/${DEFAULT_SHERPA_TTS_MODEL}.tar.bz2`,
    format: "tar.bz2",
    target: DEFAULT_SHERPA_TTS_MODEL,
    sizeMb: 350,
  },
  {
    purpose: "speaker segmentation (pyannote 3.0)",
    url: `${SHERPA}/speaker-segmentation-models/${DEFAULT_SEGMENTATION_MODEL}.tar.bz2`,
    format: "tar.bz2",
    target: DEFAULT_SEGMENTATION_MODEL,
    sha256: "24615ee884c897d9d2ba09bb4d30da6bb1b15e685065962db5b02e76e4996488",
    sizeMb: 7,
  },
  {
    purpose: "speaker embeddings (3D-Speaker ERes2Net)",
    // "recongition" is the release tag's real spelling.
    url: `${SHERPA}/speaker-recongition-models/3dspeaker_speech_eres2net_base_sv_zh-cn_3dspeaker_16k.onnx`,
    format: "file",
    target: `${DEFAULT_EMBEDDING_MODEL}/3dspeaker_speech_eres2net_base_sv_zh-cn_3dspeaker_16k.onnx`,
    sha256: "1a331345f04805badbb495c775a6ddffcdd1a732567d5ec8b3d5749e3c7a5e4b",
    sizeMb: 38,
  },
  {
    purpose: "translation and shortening (Qwen2.5 1.5B Instruct, llama.cpp GGUF Q4_K_M; 29+ languages)",
    url: `${QWEN}/${DEFAULT_LLAMA_MODEL}`,
    format: "file",
    target: DEFAULT_LLAMA_MODEL,
    // Hugging Face's LFS sha256 of this file (1,117,320,736 bytes).
    sha256: "6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
    sizeMb: 1117,
  },
];
