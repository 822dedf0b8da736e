/** HLS: playlists and the final files. */
export { buildPlaylist, writeFileAtomic, isSafeUri } from "./playlist";
export type { PlaylistSegment, BuildPlaylistOptions } from "./playlist";
export { concatListLine, probeDurationMs, concatRenditionsToMp4, buildConcatRenditionsArgs } from "./final";
export type { ConcatRenditionsOptions, RenditionTrack } from "./final";
export { mp4LanguageCode } from "./languages";
export { buildMasterPlaylist, AUDIO_GROUP_ID, SUBTITLES_GROUP_ID, DEFAULT_BANDWIDTH } from "./master";
export type { BuildMasterPlaylistOptions, MasterRendition, MasterVideo } from "./master";
export { toWebVttSegment, VTT_MPEGTS_AT_ZERO, VTT_TIMESTAMP_MAP } from "./webvtt";
