import { describe, expect, it } from "vitest";
import { isPipelineError } from "../../errors";
import {
  baseLanguage,
  chooseCosyVoiceMode,
  cosyVoicePromptText,
  cosyVoiceSupports,
  cosyVoiceText,
} from "./mode";

describe("chooseCosyVoiceMode", () => {
  it("clones zero-shot only with the clip's transcript in the target language", () => {
    const base = {
      language: "en-US",
      hasReference: true,
      referenceText: "hello there",
      referenceLanguage: "en",
    };
    expect(chooseCosyVoiceMode(base)).toBe("zero_shot");
    expect(chooseCosyVoiceMode({ ...base, referenceLanguage: "fr" })).toBe("cross_lingual");
    expect(chooseCosyVoiceMode({ ...base, referenceLanguage: undefined })).toBe("cross_lingual");
    expect(chooseCosyVoiceMode({ ...base, referenceText: " " })).toBe("cross_lingual");
  });

  it("falls back to the configured speaker, and says what to set when there is none", () => {
    expect(chooseCosyVoiceMode({ language: "zh", hasReference: false, speakerId: "中文女" })).toBe("sft");
    let err: unknown;
    try {
      chooseCosyVoiceMode({ language: "zh", hasReference: false });
    } catch (e) {
      err = e;
    }
    expect(isPipelineError(err) && [err.code, err.category]).toEqual(["TTS_NO_VOICE", "user"]);
    expect((err as Error).message).toContain("COSYVOICE_SPK_ID");
  });
});

describe("request text per version", () => {
  it("tags v1 cross-lingual text with its language and prefixes v3 with the system prompt", () => {
    expect(
      cosyVoiceText({ version: 1, mode: "cross_lingual", text: " Hello\n world ", language: "en-GB" }),
    ).toBe("<|en|>Hello world");
    expect(cosyVoiceText({ version: 1, mode: "cross_lingual", text: "你好", language: "zh-HK" })).toBe(
      "<|yue|>你好",
    );
    expect(cosyVoiceText({ version: 2, mode: "cross_lingual", text: "Hello", language: "en" })).toBe("Hello");
    expect(cosyVoiceText({ version: 3, mode: "cross_lingual", text: "Hallo", language: "de" })).toBe(
      "You are a helpful assistant.<|endofprompt|>Hallo",
    );
    expect(cosyVoiceText({ version: 3, mode: "zero_shot", text: "Hallo", language: "de" })).toBe("Hallo");
    expect(cosyVoiceText({ version: 3, mode: "sft", text: "Hallo", language: "de" })).toBe(
      "You are a helpful assistant.<|endofprompt|>Hallo",
    );
    expect(cosyVoiceText({ version: 2, mode: "sft", text: "Hallo", language: "de" })).toBe("Hallo");
    expect(cosyVoicePromptText(3, "Guten Tag")).toBe("You are a helpful assistant.<|endofprompt|>Guten Tag");
    expect(cosyVoicePromptText(2, "Guten Tag")).toBe("Guten Tag");
  });

  it("knows each version's languages", () => {
    expect(baseLanguage("cmn-Hans")).toBe("zh");
    expect(cosyVoiceSupports(2, "zh-CN")).toBe(true);
    expect(cosyVoiceSupports(2, "fr")).toBe(false);
    expect(cosyVoiceSupports(3, "fr-FR")).toBe(true);
  });
});
