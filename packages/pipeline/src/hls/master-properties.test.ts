/**
 * Properties of the master playlist writer: any rendition list gives a playlist a player
 * reads back exactly (one EXT-X-MEDIA per rendition with its attributes as given, one variant
 * naming the groups it has, no line or attribute smuggled in), or a clean PipelineError
 * INVALID_PLAYLIST — never a crash.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { buildMasterPlaylist } from "./master";
import type { BuildMasterPlaylistOptions, MasterRendition } from "./master";

/** An attribute list as RFC 8216 §4.2 reads it: NAME=value, values quoted or not, comma-separated. */
function readAttributes(list: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([A-Z0-9-]+)=("[^"\r\n]*"|[^",\s]*)(,|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < list.length && (m = re.exec(list)) !== null) {
    const [, key, raw] = m;
    expect(attrs.has(key!), `attribute ${key} twice in ${list}`).toBe(false);
    attrs.set(key!, raw!.startsWith('"') ? raw!.slice(1, -1) : raw!);
  }
  expect(re.lastIndex, `unreadable attribute list ${list}`).toBe(list.length);
  return attrs;
}

function readMaster(text: string) {
  const lines = text.split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.slice(0, 3)).toEqual(["#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-INDEPENDENT-SEGMENTS"]);
  const media = lines.filter((l) => l.startsWith("#EXT-X-MEDIA:")).map((l) => readAttributes(l.slice(13)));
  const inf = lines.filter((l) => l.startsWith("#EXT-X-STREAM-INF:"));
  expect(inf).toHaveLength(1);
  // Header, one line per rendition, the variant and its URI: nothing else.
  expect(lines).toHaveLength(3 + media.length + 2);
  expect(lines.at(-2)).toBe(inf[0]);
  return { media, variant: readAttributes(inf[0]!.slice(18)), videoUri: lines.at(-1) };
}

/** Mostly values that are fine, sometimes anything at all. */
const mostly = <T>(fine: fc.Arbitrary<T>, any: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fine, weight: 6 }, { arbitrary: any, weight: 1 });

const rendition = fc.record({
  language: mostly(fc.constantFrom("fr", "zh", "pt-BR", "zh-Hans", "und"), fc.string({ maxLength: 8 })),
  name: mostly(
    fc.constantFrom("Français", "中文", "Original", "a, b", "x=y", "DEFAULT=YES"),
    fc.oneof(fc.string({ maxLength: 20, unit: "grapheme" }), fc.string({ maxLength: 8 })),
  ),
  uri: mostly(fc.constantFrom("a/fr.m3u8", "subs/zh.m3u8", "o.m3u8"), fc.string({ maxLength: 20 })),
  default: fc.oneof(
    { arbitrary: fc.constant(false), weight: 4 },
    { arbitrary: fc.constant(true), weight: 1 },
  ),
});
const options: fc.Arbitrary<BuildMasterPlaylistOptions> = fc.record({
  video: fc.record(
    {
      uri: mostly(fc.constant("video.m3u8"), fc.string({ maxLength: 12 })),
      bandwidth: mostly(fc.integer({ min: 1, max: 1e8 }), fc.double()),
      resolution: fc.record({
        width: fc.integer({ min: -1, max: 4000 }),
        height: fc.integer({ min: 0, max: 3000 }),
      }),
      codecs: mostly(fc.constantFrom("avc1.64001f", "avc1.4d401e,mp4a.40.2"), fc.string({ maxLength: 12 })),
    },
    { requiredKeys: ["uri"] },
  ),
  audio: fc.array(rendition, { maxLength: 4 }),
  subtitles: fc.array(rendition, { maxLength: 4 }),
});

function expectRendition(attrs: Map<string, string>, type: string, group: string, r: MasterRendition): void {
  expect(Object.fromEntries(attrs)).toEqual({
    TYPE: type,
    "GROUP-ID": group,
    LANGUAGE: r.language,
    NAME: r.name,
    DEFAULT: r.default ? "YES" : "NO",
    AUTOSELECT: "YES",
    URI: r.uri,
  });
}

describe("buildMasterPlaylist properties (fast-check, bounded runs)", () => {
  it("any rendition list gives a playlist a player reads back exactly, or INVALID_PLAYLIST", () => {
    let written = 0;
    fc.assert(
      fc.property(options, (opts) => {
        let out: string;
        try {
          out = buildMasterPlaylist(opts);
        } catch (e) {
          expect(isPipelineError(e) && e.code, String(e)).toBe("INVALID_PLAYLIST");
          return;
        }
        written++;
        const read = readMaster(out);
        expect(read.videoUri).toBe(opts.video.uri);
        expect(read.media).toHaveLength(opts.audio.length + opts.subtitles.length);
        opts.audio.forEach((r, i) => expectRendition(read.media[i]!, "AUDIO", "aud", r));
        opts.subtitles.forEach((r, i) =>
          expectRendition(read.media[opts.audio.length + i]!, "SUBTITLES", "subs", r),
        );
        expect(read.variant.get("AUDIO")).toBe(opts.audio.length > 0 ? "aud" : undefined);
        expect(read.variant.get("SUBTITLES")).toBe(opts.subtitles.length > 0 ? "subs" : undefined);
        expect(Number(read.variant.get("BANDWIDTH"))).toBeGreaterThan(0);
        for (const group of [opts.audio, opts.subtitles]) {
          expect(group.filter((r) => r.default).length).toBeLessThanOrEqual(1);
          expect(new Set(group.map((r) => r.name)).size).toBe(group.length);
        }
      }),
      { numRuns: 1000 },
    );
    // The generators reach the writing path too, not only the refusals.
    expect(written).toBeGreaterThan(50);
  });
});
