import { describe, expect, it } from "vitest";
import { buildMixAudioGraph, escapeFilterValue } from "./mix";

describe("escapeFilterValue", () => {
  it("escapes both filtergraph levels", () => {
    expect(escapeFilterValue("/a b/c'd:e.srt")).toBe("/a b/c\\\\\\'d\\\\:e.srt");
    expect(escapeFilterValue("x[1],y;z")).toBe("x\\[1\\]\\,y\\;z");
  });
});

describe("buildMixAudioGraph", () => {
  it("ducks the background by 14 dB unless told otherwise and sums the dub at full level", () => {
    const graph = buildMixAudioGraph({ backgroundInput: 1, vocalsInput: 2 });
    expect(graph).toHaveLength(3);
    expect(graph[0]).toMatch(/^\[1:a\]aresample=44100,.*channel_layouts=stereo,volume=-14dB\[bg\]$/);
    expect(graph[1]).toMatch(/^\[2:a\]aresample=44100,.*channel_layouts=stereo\[fg\]$/);
    expect(graph[2]).toContain("amix=inputs=2:duration=longest:dropout_transition=0:normalize=0,apad[aout]");
    expect(buildMixAudioGraph({ backgroundInput: 0, vocalsInput: 1, duckDb: 0 })[0]).toContain(
      "volume=0dB[bg]",
    );
  });
});
