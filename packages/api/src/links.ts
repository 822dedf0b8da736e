/** The URLs of a task's public resources; one definition for REST, tRPC and the UI. */
export function taskLinks(id: string) {
  return {
    watchUrl: `/watch/${id}`,
    playlistUrl: `/media/${id}/hls/index.m3u8`,
    mp4Url: `/api/tasks/${id}/download`,
    srtUrl: `/api/tasks/${id}/subtitles.srt`,
    vttUrl: `/api/tasks/${id}/subtitles.vtt`,
  };
}
