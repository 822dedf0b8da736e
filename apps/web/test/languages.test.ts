/**
 * One video, many languages, at the web server's door: uploads for several languages and
 * with a glossary, adding a language (owner token required), downloads per language, the
 * HLS folder's files (master and renditions) and the original API's master playlist.
 * Real Postgres, Redis, ffprobe and storage folder; no worker (files are placed by hand).
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createTaskStore } from "@vitranslator/db";
import { createTestTask } from "@vitranslator/db/testing";
import { hls, layout } from "@vitranslator/pipeline/layout";
import { jobId } from "@vitranslator/queue";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHttpApi } from "../server/http-api";
import { legacyPlaylist } from "../server/legacy-api";
import { servePaths, useWebStack } from "./support/server";

const web = useWebStack({ name: "vt-lang-" });
const CLIENT_ORIGIN = "http://client.example:8080";
const OWNER = "the-owner-token";
let base: string;
let sample: SampleVideo;

beforeAll(async () => {
  sample = await makeSampleVideo({ dir: web.beside("in"), durationMs: 4000 });
  const api = createHttpApi(web.serviceDeps({ maxUploadBytes: 4 * 1024 * 1024, maxDurationMs: 60_000 }), {
    corsOrigins: [CLIENT_ORIGIN],
  });
  base = (await web.listen(servePaths(api))).url;
});

interface Created {
  id: string;
  languages: string[];
  allTracksUrl: string;
  mp4Url: string;
  error: { code: string; message: string };
}

const taskDir = (id: string) => path.join(web.storageDir, "tasks", id);
const taskDirs = async () => readdir(path.join(web.storageDir, "tasks")).catch(() => [] as string[]);

/** The REST upload form: `targetLanguage` once per entry (each may be a comma list), plus any other fields. */
async function form(languages: string[], fields: Record<string, string | Blob> = {}) {
  const f = new FormData();
  for (const l of languages) f.append("targetLanguage", l);
  f.set("video", new Blob([await readFile(sample.video)]), "talk.mp4");
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === "string") f.set(k, v);
    else f.set(k, v, `${k}.txt`);
  }
  return f;
}

async function upload(body: FormData, pathname = "/api/tasks") {
  const res = await fetch(base + pathname, { method: "POST", body });
  return { status: res.status, body: (await res.json()) as Created };
}

const row = (id: string) => web.t.db.task.findUniqueOrThrow({ where: { id } });

describe("POST /api/tasks with several languages", () => {
  it("takes a comma list or a repeated field, deduplicated in order; the first is the target", async () => {
    const comma = await upload(await form(["fr, de,FR"]));
    expect(comma.status).toBe(201);
    expect(comma.body.languages).toEqual(["fr", "de"]);
    expect(comma.body.allTracksUrl).toBe(`/api/tasks/${comma.body.id}/download/all`);
    expect(comma.body.mp4Url).toBe(`/api/tasks/${comma.body.id}/download`);
    const task = await row(comma.body.id);
    expect([task.targetLanguage, task.languages, task.glossary]).toEqual(["fr", ["fr", "de"], null]);

    const repeated = await upload(await form(["es", "de", "es"]));
    expect(repeated.status).toBe(201);
    expect((await row(repeated.body.id)).languages).toEqual(["es", "de"]);

    const status = (await fetch(`${base}/api/tasks/${repeated.body.id}`).then((r) => r.json())) as object;
    expect(status).toMatchObject({ languages: ["es", "de"], finalLanguages: [] });
  });

  it("refuses too many languages, a bad or unsupported tag, and burned subtitles in two languages, keeping nothing", async () => {
    const before = await taskDirs();
    const nine = ["en", "de", "es", "it", "pt", "ru", "ja", "ko", "zh"];
    const cases: [FormData, number, string][] = [
      [await form([nine.join(",")]), 400, "TOO_MANY_LANGUAGES"],
      [await form(nine), 400, "TOO_MANY_LANGUAGES"],
      [await form(["fr,../../x"]), 400, "UNSUPPORTED_LANGUAGE"],
      [await form(["fr", "xx"]), 400, "UNSUPPORTED_LANGUAGE"],
      [await form(["fr,de"], { burnSubtitles: "true" }), 400, "BURN_ONE_LANGUAGE"],
      [await form([","]), 400, "MISSING_TARGET_LANGUAGE"],
    ];
    for (const [body, status, code] of cases) {
      const res = await upload(body);
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
    expect(await taskDirs()).toEqual(before);
    // One language may be burned in.
    expect((await upload(await form(["fr"], { burnSubtitles: "true" }))).status).toBe(201);
  });

  it("stores a glossary sent as text or as a file; refuses a bad line or one over the size cap", async () => {
    const text = "# product names\nViTranslator = ViTranslator\nsign language => langue des signes\n";
    const asText = await upload(await form(["fr"], { glossary: text }));
    expect(asText.status).toBe(201);
    expect((await row(asText.body.id)).glossary).toBe(text);
    const asFile = await upload(await form(["fr", "de"], { glossary: new Blob([text]) }));
    expect(asFile.status).toBe(201);
    expect((await row(asFile.body.id)).glossary).toBe(text);

    const before = await taskDirs();
    const bad = await upload(await form(["fr"], { glossary: "a = b\nthis line has no separator\n" }));
    expect([bad.status, bad.body.error.code]).toEqual([400, "INVALID_GLOSSARY"]);
    expect(bad.body.error.message).toMatch(/line 2/);
    const big = "term = translation\n".repeat(1000);
    const bigText = await upload(await form(["fr"], { glossary: big }));
    expect([bigText.status, bigText.body.error.code]).toEqual([400, "GLOSSARY_TOO_LARGE"]);
    const bigFile = await upload(await form(["fr"], { glossary: new Blob([big]) }));
    expect([bigFile.status, bigFile.body.error.code]).toEqual([400, "GLOSSARY_TOO_LARGE"]);
    expect(await taskDirs()).toEqual(before);
  });

  it("keeps the original API's single target_language", async () => {
    const legacy = new FormData();
    legacy.set("video", new Blob([await readFile(sample.video)]), "talk.mp4");
    legacy.set("target_language", "de");
    const ok = await upload(legacy, "/upload");
    expect(ok.status).toBe(200);
    expect((await row(ok.body.id)).languages).toEqual(["de"]);
    legacy.set("target_language", "de,fr");
    const two = await upload(legacy, "/upload");
    expect([two.status, two.body.error.code]).toEqual([400, "UNSUPPORTED_LANGUAGE"]);
  });
});

describe("POST /api/tasks/<id>/languages", () => {
  /** A running task planned into two parts, the first recognised. */
  async function runningTask(options: { burnSubtitles?: boolean } = {}) {
    const id = await createTestTask(web.t.db, { ownerToken: OWNER, options });
    await web.t.db.task.update({ where: { id }, data: { status: "processing" } });
    const store = createTaskStore(web.t.db);
    await store.savePlan(
      id,
      [0, 1].map((i) => ({ index: i, startMs: i * 5000, durationMs: 5000 })),
      6,
    );
    await store.replaceSentences(id, 0, [{ index: 0, startMs: 0, endMs: 2000, sourceText: "Hello." }]);
    await store.recordStageStart({ taskId: id, segmentIndex: 0, stage: "asr" });
    await store.recordStageEnd({ taskId: id, segmentIndex: 0, stage: "asr" });
    return id;
  }

  const add = (id: string, body: unknown, token: string | null = OWNER) =>
    fetch(`${base}/api/tasks/${id}/languages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token === null ? {} : { "x-owner-token": token }) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it("needs the owner token in x-owner-token: 403 without it or with another, and nothing changes", async () => {
    const id = await runningTask();
    for (const token of [null, "", "someone-else", OWNER.slice(0, -1)]) {
      const res = await add(id, { language: "es" }, token);
      expect([res.status, (res.body.error as { code: string }).code]).toEqual([403, "NOT_OWNER"]);
    }
    // Not as a field of the body either.
    expect((await add(id, { language: "es", ownerToken: OWNER }, null)).status).toBe(403);
    expect((await row(id)).languages).toEqual(["fr"]);
    expect(await web.t.db.segment.count({ where: { taskId: id, language: "es" } })).toBe(0);
    expect(
      await web.queues.translate.getJob(jobId("translate", { taskId: id, segmentIndex: 0, language: "es" })),
    ).toBeUndefined();
  });

  it("adds a language: 201, its rows, the event, translate queued for recognised parts; 409 the second time", async () => {
    const id = await runningTask();
    const res = await add(id, { language: "es" });
    expect(res).toEqual({ status: 201, body: { language: "es", languages: ["fr", "es"] } });
    expect(await web.t.db.segment.count({ where: { taskId: id, language: "es" } })).toBe(2);
    const job = await web.queues.translate.getJob(
      jobId("translate", { taskId: id, segmentIndex: 0, language: "es" }),
    );
    expect(job?.data).toEqual({ taskId: id, segmentIndex: 0, language: "es" });
    expect(
      await web.queues.translate.getJob(jobId("translate", { taskId: id, segmentIndex: 1, language: "es" })),
    ).toBeUndefined();
    const events = (await web.redis.xrange(`${web.prefix}:events:${id}`, "-", "+")).map(
      ([, f]) => JSON.parse(f[1]!) as { type: string },
    );
    expect(events).toContainEqual({ type: "language", language: "es", languages: ["fr", "es"] });

    const again = await add(id, { language: "es" });
    expect([again.status, (again.body.error as { code: string }).code]).toEqual([409, "LANGUAGE_EXISTS"]);
    const first = await add(id, { language: "fr" });
    expect(first.status).toBe(409);
  });

  it("answers 404 for an unknown task, 400 for a bad body or language, burned subtitles, 409 for a failed task", async () => {
    const code = (r: { body: Record<string, unknown> }) => (r.body.error as { code: string }).code;
    const unknown = await add("AAAAAAAAAAAAAAAAAAAAAA", { language: "es" });
    expect([unknown.status, code(unknown)]).toEqual([404, "TASK_NOT_FOUND"]);
    expect((await add("not-an-id", { language: "es" })).status).toBe(404);
    const id = await runningTask();
    expect((await add(id, "not json")).status).toBe(400);
    expect((await add(id, { lang: "es" })).status).toBe(400);
    const unsupported = await add(id, { language: "xx" });
    expect([unsupported.status, code(unsupported)]).toEqual([400, "UNSUPPORTED_LANGUAGE"]);
    const notATag = await add(id, { language: "../../etc" });
    expect([notATag.status, code(notATag)]).toEqual([400, "UNSUPPORTED_LANGUAGE"]);
    const huge = await add(id, { language: "x".repeat(10_000) });
    expect([huge.status, code(huge)]).toEqual([413, "BODY_TOO_LARGE"]);
    const burned = await add(await runningTask({ burnSubtitles: true }), { language: "es" });
    expect([burned.status, code(burned)]).toEqual([400, "BURN_ONE_LANGUAGE"]);
    await web.t.db.task.update({ where: { id }, data: { status: "failed" } });
    const failed = await add(id, { language: "es" });
    expect([failed.status, code(failed)]).toEqual([409, "TASK_NOT_ACTIVE"]);
  });

  it("lets a page on an allowed origin send the owner token (CORS preflight)", async () => {
    const id = await runningTask();
    const preflight = await fetch(`${base}/api/tasks/${id}/languages`, {
      method: "OPTIONS",
      headers: {
        origin: CLIENT_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, x-owner-token",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-owner-token");
  });
});

describe("downloads per language", () => {
  async function twoLanguageTask() {
    const id = await createTestTask(web.t.db, { languages: ["fr", "de"], originalName: "talk.mov" });
    await web.t.db.task.update({ where: { id }, data: { status: "processing", segmentCount: 1 } });
    return id;
  }
  const place = async (file: string, text: string) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  };

  it("serves a language's MP4 and subtitles once that language is final (409 before, 400 for one the task lacks)", async () => {
    const id = await twoLanguageTask();
    const dir = taskDir(id);
    const get = (p: string) => fetch(`${base}/api/tasks/${id}${p}`);
    expect((await get("/download?language=de")).status).toBe(409);
    await place(layout.finalMp4(dir, "de"), "de-mp4");
    await place(layout.finalSrt(dir, "de"), "1\n00:00:00,000 --> 00:00:01,000\nHallo\n");
    await place(layout.finalVtt(dir, "de"), "WEBVTT\n");
    // The file alone is not enough: the language must be recorded as final.
    expect((await get("/download?language=de")).status).toBe(409);
    await web.t.db.task.update({ where: { id }, data: { finalLanguages: ["de"] } });

    const mp4 = await get("/download?language=de");
    expect(mp4.status).toBe(200);
    expect(await mp4.text()).toBe("de-mp4");
    expect(mp4.headers.get("content-disposition")).toContain("talk.de.mp4");
    const srt = await get("/subtitles.srt?language=de");
    expect([srt.status, await srt.text()]).toEqual([200, "1\n00:00:00,000 --> 00:00:01,000\nHallo\n"]);
    expect((await get("/subtitles.vtt?language=de")).headers.get("content-type")).toMatch(/^text\/vtt/);

    // Without a language: the first (fr), not finished yet; the legacy download is the first too.
    expect((await get("/download")).status).toBe(409);
    expect((await get("/subtitles.srt")).status).toBe(409);
    expect((await fetch(`${base}/download/${id}`)).status).toBe(409);
    const lacking = await get("/download?language=es");
    expect(lacking.status).toBe(400);
    expect(((await lacking.json()) as { error: { code: string } }).error.code).toBe("LANGUAGE_NOT_IN_TASK");
    expect((await get("/subtitles.vtt?language=..%2F..%2Fx")).status).toBe(400);

    await place(layout.finalMp4(dir, "fr"), "fr-mp4");
    await web.t.db.task.update({ where: { id }, data: { finalLanguages: ["de", "fr"] } });
    expect(await (await get("/download")).text()).toBe("fr-mp4");
    expect(await (await fetch(`${base}/download/${id}`)).text()).toBe("fr-mp4");
    const status = (await get("").then((r) => r.json())) as object;
    expect(status).toMatchObject({ languages: ["fr", "de"], finalLanguages: ["de", "fr"] });
  });

  it("serves a task dubbed before there were several languages from its old places", async () => {
    const id = await createTestTask(web.t.db, { originalName: "old.mp4" });
    await web.t.db.task.update({
      where: { id },
      data: { status: "completed", finalReady: true, finalLanguages: ["fr"], segmentCount: 1 },
    });
    const dir = taskDir(id);
    await place(layout.legacyFinal(dir, "mp4"), "old-mp4");
    await place(layout.legacyFinal(dir, "srt"), "old-srt");
    await place(path.join(dir, "hls", "seg_0_0.ts"), "old-chunk");
    expect(await (await fetch(`${base}/api/tasks/${id}/download`)).text()).toBe("old-mp4");
    expect(await (await fetch(`${base}/api/tasks/${id}/subtitles.srt?language=fr`)).text()).toBe("old-srt");
    // Its playlist names muxed chunks of the old form: they are still served.
    const chunk = await fetch(`${base}/media/${id}/hls/seg_0_0.ts`);
    expect([chunk.status, await chunk.text()]).toEqual([200, "old-chunk"]);
  });

  it("serves the MP4 with every audio track once the task is final", async () => {
    const id = await twoLanguageTask();
    await place(layout.allTracksMp4(taskDir(id)), "all-tracks");
    await web.t.db.task.update({ where: { id }, data: { finalLanguages: ["fr", "de"] } });
    expect((await fetch(`${base}/api/tasks/${id}/download/all`)).status).toBe(409);
    await web.t.db.task.update({ where: { id }, data: { finalReady: true, status: "completed" } });
    const all = await fetch(`${base}/api/tasks/${id}/download/all`);
    expect([all.status, await all.text()]).toEqual([200, "all-tracks"]);
    expect(all.headers.get("content-disposition")).toContain("talk.all-languages.mp4");
    expect(await (await fetch(`${base}/api/tasks/${id}/download?language=all`)).text()).toBe("all-tracks");
    expect((await fetch(`${base}/api/tasks/AAAAAAAAAAAAAAAAAAAAAA/download/all`)).status).toBe(404);
  });
});

const MASTER = [
  "#EXTM3U",
  "#EXT-X-VERSION:6",
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="fr",NAME="Français",DEFAULT=YES,AUTOSELECT=YES,URI="audio_fr.m3u8"',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="de",NAME="Deutsch",URI="audio_de.m3u8"',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Original",URI="audio_orig.m3u8"',
  '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="de",NAME="Deutsch",URI="subs_de.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud",SUBTITLES="subs"',
  "video.m3u8",
  "",
].join("\n");

const media = (uris: string[], ended = false) =>
  [
    "#EXTM3U",
    "#EXT-X-VERSION:6",
    "#EXT-X-TARGETDURATION:6",
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    ...uris.flatMap((u) => ["#EXTINF:4.000,", u]),
    ...(ended ? ["#EXT-X-ENDLIST"] : []),
    "",
  ].join("\n");

describe("HLS files: the master playlist and its renditions", () => {
  async function hlsTask() {
    const id = await createTestTask(web.t.db, { languages: ["fr", "de"] });
    const dir = layout.hlsDir(taskDir(id));
    await mkdir(dir, { recursive: true });
    const files: Record<string, string> = {
      [hls.master]: MASTER,
      [hls.videoPlaylist]: media([hls.videoChunk(0, 0)]),
      [hls.audioPlaylist("de")]: media([hls.audioChunk("de", 0, 0)]),
      [hls.audioPlaylist("orig")]: media([hls.audioChunk("orig", 0, 0)], true),
      [hls.subtitlesPlaylist("de")]: media([hls.subtitlesPart("de", 0)]),
      [hls.videoChunk(0, 0)]: "\x47video",
      [hls.audioChunk("de", 0, 0)]: "\x47audio-de",
      [hls.audioChunk("orig", 0, 0)]: "\x47audio-orig",
      [hls.subtitlesPart("de", 0)]: "WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n",
      "notes.txt": "not served",
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return { id, dir };
  }

  it("serves every rendition's playlist and chunks by name, and nothing else in the folder", async () => {
    const { id } = await hlsTask();
    const get = (name: string) => fetch(`${base}/media/${id}/hls/${name}`);
    const master = await get("index.m3u8");
    expect([master.status, master.headers.get("content-type")]).toEqual([
      200,
      "application/vnd.apple.mpegurl",
    ]);
    expect(await master.text()).toBe(MASTER);
    for (const [name, type] of [
      ["video.m3u8", "application/vnd.apple.mpegurl"],
      ["audio_de.m3u8", "application/vnd.apple.mpegurl"],
      ["subs_de.m3u8", "application/vnd.apple.mpegurl"],
      ["v_0_0.ts", "video/mp2t"],
      ["a_de_0_0.ts", "video/mp2t"],
      ["a_orig_0_0.ts", "video/mp2t"],
      ["s_de_0.vtt", "text/vtt; charset=utf-8"],
    ]) {
      const res = await get(name!);
      expect([name, res.status, res.headers.get("content-type"), res.headers.get("cache-control")]).toEqual([
        name,
        200,
        type,
        "no-cache",
      ]);
    }
    for (const name of ["notes.txt", "seg_0_0.ts", "a_../x_0_0.ts", "audio_fr.m3u8", "..%2Findex.m3u8"])
      expect([name, (await get(name)).status]).toEqual([name, 404]);
  });

  it("holds a media playlist request with _HLS_msn until that chunk is published; the master is answered at once", async () => {
    const { id, dir } = await hlsTask();
    const t0 = Date.now();
    const masterRes = await fetch(`${base}/media/${id}/hls/index.m3u8?_HLS_msn=5`);
    expect(masterRes.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1500);

    const waiting = fetch(`${base}/media/${id}/hls/audio_de.m3u8?_HLS_msn=1`).then((r) => r.text());
    let answered = false;
    void waiting.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(answered).toBe(false);
    await writeFile(
      path.join(dir, hls.audioPlaylist("de")),
      media([hls.audioChunk("de", 0, 0), hls.audioChunk("de", 1, 0)]),
    );
    expect(await waiting).toContain("a_de_1_0.ts");
    // An ended rendition answers at once, whatever it is asked.
    const ended = await fetch(`${base}/media/${id}/hls/audio_orig.m3u8?_HLS_msn=9`);
    expect(await ended.text()).toContain("#EXT-X-ENDLIST");
  });

  it("original API: /playlists/<id>.m3u8 is the master with absolute /segments/<id>/ URIs, and /segments serves the renditions", async () => {
    const { id } = await hlsTask();
    const res = await fetch(`${base}/playlists/${id}.m3u8`, { headers: { origin: CLIENT_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(CLIENT_ORIGIN);
    const text = await res.text();
    expect(text).toBe(legacyPlaylist(MASTER, id));
    expect(text).toContain(`URI="/segments/${id}/audio_de.m3u8"`);
    expect(text).toContain(`URI="/segments/${id}/subs_de.m3u8"`);
    expect(text).toContain(`AUDIO="aud",SUBTITLES="subs"\n/segments/${id}/video.m3u8\n`);
    const uris = [
      ...Array.from(text.matchAll(/URI="([^"]+)"/g), (m) => m[1]!),
      ...text.split("\n").filter((l) => l && !l.startsWith("#")),
    ];
    expect(uris).toHaveLength(5);
    expect(uris.every((u) => u.startsWith(`/segments/${id}/`))).toBe(true);

    // A rendition keeps its relative chunk URIs, which resolve under /segments/<id>/.
    const rendition = await fetch(`${base}/segments/${id}/audio_de.m3u8`, {
      headers: { origin: CLIENT_ORIGIN },
    });
    expect(rendition.headers.get("access-control-allow-origin")).toBe(CLIENT_ORIGIN);
    const chunkUri = (await rendition.text()).split("\n").find((l) => l && !l.startsWith("#"))!;
    expect(chunkUri).toBe("a_de_0_0.ts");
    const chunk = await fetch(new URL(chunkUri, `${base}/segments/${id}/audio_de.m3u8`));
    expect([chunk.status, await chunk.text()]).toEqual([200, "\x47audio-de"]);
    expect((await fetch(`${base}/segments/${id}/s_de_0.vtt`)).status).toBe(200);
    expect((await fetch(`${base}/segments/${id}/notes.txt`)).status).toBe(404);
  });
});
