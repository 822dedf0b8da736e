/** HLS: playlists and the final files. */
export { buildPlaylist, writeFileAtomic } from "./playlist";
export type { PlaylistSegment, BuildPlaylistOptions } from "./playlist";
export { concatToMp4, concatListLine, probeDurationMs } from "./final";
