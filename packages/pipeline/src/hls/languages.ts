/**
 * MP4 language tags. MP4 (and ffmpeg's mov muxer) stores a track's language as an ISO 639-2
 * code; ffmpeg writes and reads the bibliographic form ("fre", "ger", "chi"). Our languages
 * are BCP 47 tags ("fr", "pt-BR", "zh-Hans"): their primary subtag is ISO 639-1.
 */

/** ISO 639-1 → ISO 639-2/B, for the languages people dub into most. */
const ISO_639_2B: Readonly<Record<string, string>> = {
  af: "afr",
  ar: "ara",
  bg: "bul",
  bn: "ben",
  ca: "cat",
  cs: "cze",
  da: "dan",
  de: "ger",
  el: "gre",
  en: "eng",
  es: "spa",
  et: "est",
  fa: "per",
  fi: "fin",
  fr: "fre",
  he: "heb",
  hi: "hin",
  hr: "hrv",
  hu: "hun",
  id: "ind",
  it: "ita",
  ja: "jpn",
  ko: "kor",
  lt: "lit",
  lv: "lav",
  ms: "may",
  nb: "nob",
  nl: "dut",
  nn: "nno",
  no: "nor",
  pl: "pol",
  pt: "por",
  ro: "rum",
  ru: "rus",
  sk: "slo",
  sl: "slv",
  sr: "srp",
  sv: "swe",
  sw: "swa",
  ta: "tam",
  te: "tel",
  th: "tha",
  tl: "tgl",
  tr: "tur",
  uk: "ukr",
  ur: "urd",
  vi: "vie",
  zh: "chi",
};

/** ISO 639-2 of a BCP 47 tag's language for MP4 metadata; "und" (undetermined) when unknown. */
export function mp4LanguageCode(tag: string): string {
  const primary = tag.split("-")[0]?.toLowerCase() ?? "";
  if (/^[a-z]{3}$/.test(primary) && Object.values(ISO_639_2B).includes(primary)) return primary;
  return ISO_639_2B[primary] ?? "und";
}
