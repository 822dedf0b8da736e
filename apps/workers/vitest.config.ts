import { packageTestConfig } from "../../vitest.shared.ts";

// Whole-pipeline tests run real ffmpeg, separation and TTS on a shared 2-core machine.
export default packageTestConfig(import.meta.dirname, { testTimeout: 300_000 });
