import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { buildMasterPlaylist } from "./master";
import type { BuildMasterPlaylistOptions } from "./master";
import { buildPlaylist } from "./playlist";

const renditions: BuildMasterPlaylistOptions = {
  video: {
    uri: "video.m3u8",
    bandwidth: 900_000,
    resolution: { width: 1280, height: 720 },
    codecs: "avc1.64001f",
  },
  audio: [
    { language: "fr", name: "Français", uri: "audio/fr.m3u8", default: true },
    { language: "pt-BR", name: "Português (Brasil)", uri: "audio/pt-BR.m3u8", default: false },
    { language: "en", name: "Original", uri: "audio/orig.m3u8", default: false },
  ],
  subtitles: [
    { language: "fr", name: "Français", uri: "subs/fr.m3u8", default: true },
    { language: "zh-Hans", name: "中文", uri: "subs/zh.m3u8", default: false },
  ],
};

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("buildMasterPlaylist", () => {
  it("writes the audio and subtitle groups, then the video variant that refers to them", () => {
    expect(buildMasterPlaylist(renditions)).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:4",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="fr",NAME="Français",DEFAULT=YES,AUTOSELECT=YES,URI="audio/fr.m3u8"',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="pt-BR",NAME="Português (Brasil)",DEFAULT=NO,AUTOSELECT=YES,URI="audio/pt-BR.m3u8"',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="en",NAME="Original",DEFAULT=NO,AUTOSELECT=YES,URI="audio/orig.m3u8"',
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="fr",NAME="Français",DEFAULT=YES,AUTOSELECT=YES,URI="subs/fr.m3u8"',
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="zh-Hans",NAME="中文",DEFAULT=NO,AUTOSELECT=YES,URI="subs/zh.m3u8"',
        '#EXT-X-STREAM-INF:BANDWIDTH=900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="aud",SUBTITLES="subs"',
        "video.m3u8",
        "",
      ].join("\n"),
    );
  });

  it("leaves out a group it has no rendition for, and defaults the bandwidth", () => {
    const text = buildMasterPlaylist({ video: { uri: "v/index.m3u8" }, audio: [], subtitles: [] });
    expect(text).not.toContain("#EXT-X-MEDIA");
    expect(text).toContain("#EXT-X-STREAM-INF:BANDWIDTH=2000000\nv/index.m3u8\n");
  });

  it("keeps a CODECS list that already names the audio", () => {
    const text = buildMasterPlaylist({
      ...renditions,
      video: { uri: "v.m3u8", codecs: "avc1.42e01e,mp4a.40.5" },
    });
    expect(text).toContain('CODECS="avc1.42e01e,mp4a.40.5"');
  });

  it.each([
    ["a quote in a name", { audio: [{ language: "fr", name: 'Fr"ench', uri: "a.m3u8", default: true }] }],
    ["a newline in a name", { audio: [{ language: "fr", name: "Fr\nench", uri: "a.m3u8", default: true }] }],
    ["an empty name", { subtitles: [{ language: "fr", name: " ", uri: "a.m3u8", default: true }] }],
    ["a language that is no tag", { audio: [{ language: 'fr"', name: "F", uri: "a.m3u8", default: true }] }],
    ["a one-letter language", { audio: [{ language: "f", name: "F", uri: "a.m3u8", default: true }] }],
    ["a URI with a quote", { audio: [{ language: "fr", name: "F", uri: 'a".m3u8', default: true }] }],
    ["an absolute URI", { subtitles: [{ language: "fr", name: "F", uri: "/etc/passwd", default: false }] }],
    ["a URL", { audio: [{ language: "fr", name: "F", uri: "http://x/a.m3u8", default: false }] }],
    [
      "two defaults in a group",
      {
        audio: [
          { language: "fr", name: "A", uri: "a.m3u8", default: true },
          { language: "de", name: "B", uri: "b.m3u8", default: true },
        ],
      },
    ],
    [
      "two renditions of one name",
      {
        subtitles: [
          { language: "fr", name: "A", uri: "a.m3u8", default: false },
          { language: "de", name: "A", uri: "b.m3u8", default: false },
        ],
      },
    ],
    ["a video URI with a newline", { video: { uri: "v.m3u8\n#EXT-X-ENDLIST" } }],
    ["a zero bandwidth", { video: { uri: "v.m3u8", bandwidth: 0 } }],
    ["a fractional bandwidth", { video: { uri: "v.m3u8", bandwidth: 1.5 } }],
    ["codecs with a quote", { video: { uri: "v.m3u8", codecs: 'avc1"' } }],
    ["a resolution of NaN", { video: { uri: "v.m3u8", resolution: { width: Number.NaN, height: 2 } } }],
  ] as const)("refuses %s with INVALID_PLAYLIST", (_, change) => {
    const error = errorOf(() => buildMasterPlaylist({ ...renditions, ...change }));
    expect(isPipelineError(error) && error.code).toBe("INVALID_PLAYLIST");
  });
});

describe("WebVTT subtitle media playlists", () => {
  it("are plain media playlists of .vtt segments", () => {
    const text = buildPlaylist({
      segments: [
        { uri: "subs/fr/part_0.vtt", durationSec: 4 },
        { uri: "subs/fr/part_1.vtt", durationSec: 5.5 },
      ],
      ended: true,
      targetDurationSec: 6,
    });
    expect(text).toContain(
      "#EXTINF:4.000,\nsubs/fr/part_0.vtt\n#EXTINF:5.500,\nsubs/fr/part_1.vtt\n#EXT-X-ENDLIST",
    );
  });
});
