import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { WhatsAppClient } from '../whatsapp/whatsapp.client.js';

/** Meta's hard maximum for any media file. */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** A download that must not be retried (the media id no longer exists at Meta). */
export class PermanentMediaError extends Error {}

/** A downloaded file as stored under the media directory. */
export interface StoredFile {
  /** File name inside the media directory. */
  file: string;
  size: number;
  /** Hex sha256 of the bytes written. */
  sha256: string;
  mimeType: string;
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'video/mp4': 'mp4', 'video/3gpp': '3gp',
  'audio/aac': 'aac', 'audio/amr': 'amr', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/ogg': 'ogg',
  'application/pdf': 'pdf', 'text/plain': 'txt',
};

/** The media directory: DATA_DIR/media. */
export function mediaDir(dataDir: string): string {
  return path.join(dataDir, 'media');
}

/** True when `expected` (hex, or base64 as some webhooks carry it) names these digest bytes. */
export function sameSha256(digest: Buffer, expected: string): boolean {
  const e = expected.trim();
  if (/^[0-9a-f]{64}$/i.test(e)) return digest.toString('hex') === e.toLowerCase();
  return digest.toString('base64').replace(/=+$/, '') === e.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
}

/**
 * Meta's two-step download: `GET /{media-id}` for a short-lived URL and the expected sha256, then an
 * authenticated GET of that URL streamed to a temporary file while hashing. The file is renamed into
 * place only when the sha256 matches; otherwise it is removed and the call rejects.
 */
export async function downloadToFile(
  whatsapp: WhatsAppClient,
  job: { messageId: string; waMediaId: string; sha256?: string | null; mimeType?: string | null },
  dir: string,
): Promise<StoredFile> {
  let info;
  try {
    info = await whatsapp.getMedia(job.waMediaId);
  } catch (err) {
    const e = err as { httpStatus?: number | null; code?: number | null };
    if (e.code === 100 && e.httpStatus !== null && e.httpStatus! < 500) throw new PermanentMediaError(`media ${job.waMediaId} no longer exists at Meta: ${(err as Error).message}`);
    throw err;
  }
  if (info.fileSize !== null && info.fileSize > MAX_MEDIA_BYTES) throw new PermanentMediaError(`media is ${info.fileSize} bytes, over the ${MAX_MEDIA_BYTES} limit`);
  const res = await whatsapp.downloadMedia(info.url);
  if (!res.body) throw new Error('media download answered without a body');
  await fs.promises.mkdir(dir, { recursive: true });
  const mimeType = info.mimeType ?? job.mimeType ?? res.headers.get('content-type') ?? 'application/octet-stream';
  const tmp = path.join(dir, `.${job.messageId}.${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > MAX_MEDIA_BYTES) return cb(new PermanentMediaError(`media is over the ${MAX_MEDIA_BYTES} byte limit`));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), meter, fs.createWriteStream(tmp));
    const digest = hash.digest();
    const expected = info.sha256 ?? job.sha256;
    if (expected && !sameSha256(digest, expected)) {
      throw new Error(`sha256 mismatch: Meta says ${expected}, the ${size} bytes downloaded hash to ${digest.toString('hex')}`);
    }
    const file = `${job.messageId}.${EXT[mimeType.split(';')[0]!.trim().toLowerCase()] ?? 'bin'}`;
    await fs.promises.rename(tmp, path.join(dir, file));
    return { file, size, sha256: digest.toString('hex'), mimeType };
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/**
 * Removes stored files (names relative to `dir`) and any download of these messages still in progress
 * (`.<messageId>.*.part`); answers how many files were removed.
 */
export async function removeMediaFiles(dir: string, files: readonly string[], messageIds: readonly string[]): Promise<number> {
  const prefixes = messageIds.map((id) => `.${id}.`);
  const parts = prefixes.length ? (await fs.promises.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.part') && prefixes.some((p) => f.startsWith(p))) : [];
  let removed = 0;
  for (const file of [...files, ...parts]) {
    const full = path.join(dir, path.basename(file));
    if (await fs.promises.rm(full).then(() => true, () => false)) removed++;
  }
  return removed;
}

