/** WAV files for the fakes and tests: mono 16-bit PCM with the plain 44-byte header. */

export function pcm16Wav(pcm: Buffer, sampleRate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36);
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

/** `durationMs` of digital silence. */
export function silentWav(durationMs: number, sampleRate: number): Buffer {
  return pcm16Wav(Buffer.alloc(Math.round((durationMs / 1000) * sampleRate) * 2), sampleRate);
}
