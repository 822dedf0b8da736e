/** What `POST /api/tasks` answers with 201. */
export interface CreatedTask {
  id: string;
  watchUrl: string;
  playlistUrl: string;
  ownerToken: string;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

function parseError(status: number, body: string): UploadError {
  try {
    const json = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (json.error?.message) return new UploadError(json.error.message, json.error.code ?? "ERROR", status);
  } catch {
    // Not JSON (a proxy's error page, say): fall through to a generic message.
  }
  if (status === 413) return new UploadError("The file is too large.", "TOO_LARGE", status);
  return new UploadError(`The upload failed (HTTP ${status}).`, "HTTP_ERROR", status);
}

/**
 * Uploads with XMLHttpRequest because fetch cannot report upload progress.
 * `onProgress` gets 0..1 (or null when the size is unknown).
 */
export function uploadTask(
  form: FormData,
  opts: { onProgress: (fraction: number | null) => void; signal?: AbortSignal },
): Promise<CreatedTask> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/tasks");
    xhr.responseType = "text";
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => opts.onProgress(e.lengthComputable ? e.loaded / e.total : null);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        try {
          resolve(JSON.parse(xhr.responseText) as CreatedTask);
        } catch {
          reject(new UploadError("The server sent an unreadable answer.", "BAD_RESPONSE", xhr.status));
        }
      } else {
        reject(parseError(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () =>
      reject(new UploadError("Network error: the upload did not reach the server.", "NETWORK", 0));
    xhr.onabort = () => reject(new UploadError("Upload cancelled.", "ABORTED", 0));
    opts.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

export function ownerTokenKey(id: string): string {
  return `vt-owner-${id}`;
}
