/** The URLs of a task's public resources; one definition for REST, tRPC and the UI. */
export function taskLinks(id: string) {
  return {
    watchUrl: `/watch/${id}`,
    /** The master playlist: the video, an audio rendition per language and the original, subtitles. */
    playlistUrl: `/media/${id}/hls/index.m3u8`,
    /** The first language's downloads (languageLinks for another). */
    mp4Url: `/api/tasks/${id}/download`,
    srtUrl: `/api/tasks/${id}/subtitles.srt`,
    vttUrl: `/api/tasks/${id}/subtitles.vtt`,
    /** One MP4 with every language's dub and the original sound as tagged audio tracks. */
    allTracksUrl: `/api/tasks/${id}/download/all`,
  };
}

/** One language's downloads: its MP4 and its subtitles. */
export function languageLinks(id: string, language: string) {
  const q = `?language=${encodeURIComponent(language)}`;
  return {
    mp4Url: `/api/tasks/${id}/download${q}`,
    srtUrl: `/api/tasks/${id}/subtitles.srt${q}`,
    vttUrl: `/api/tasks/${id}/subtitles.vtt${q}`,
  };
}
