import type pg from 'pg';
import type { AddPhotoResult, NewPhoto, PhotoLimits, PhotoRepository, StoredPhoto } from './ports.ts';
import { transaction } from './postgres-store.ts';

interface PhotoRow {
  owner: string;
  n: number;
  message_key: string;
  mime: string;
  size: number;
  added_by: string;
  added_at: string;
}
const COLUMNS = 'owner, n, message_key, mime, size, added_by, added_at';

/**
 * Photos in PostgreSQL (migration 014): bytea rows. Adding and moving take a transaction-scoped advisory lock per owner
 * (and per counted owner), so the limits hold across instances and numbers never collide; the unique message key makes
 * a retried callback, on any instance, find the photo instead of adding it twice.
 */
export class PgPhotos implements PhotoRepository {
  constructor(private readonly pool: pg.Pool) {}

  add(photo: NewPhoto, limits: PhotoLimits): Promise<AddPhotoResult> {
    return transaction(this.pool, async (c) => {
      const owners = [photo.owner, ...(limits.alsoCount && limits.alsoCount !== photo.owner ? [limits.alsoCount] : [])].sort();
      for (const o of owners) await c.query("SELECT pg_advisory_xact_lock(hashtext('photos:' || $1))", [o]);
      const known = await c.query<PhotoRow>(`SELECT ${COLUMNS} FROM photos WHERE message_key = $1`, [photo.messageKey]);
      if (known.rows[0]) return { added: false, photo: toPhoto(known.rows[0]) };
      const used = await c.query<{ count: string; bytes: string | null }>('SELECT count(*) AS count, sum(size) AS bytes FROM photos WHERE owner = ANY($1)', [
        owners,
      ]);
      const count = Number(used.rows[0]!.count);
      const bytes = Number(used.rows[0]!.bytes ?? 0);
      if (count >= limits.maxCount) return { refused: 'count', count, bytes };
      if (bytes + photo.bytes.length > limits.maxTotalBytes) return { refused: 'bytes', count, bytes };
      const r = await c.query<PhotoRow>(
        `INSERT INTO photos (owner, n, message_key, mime, size, bytes, added_by, added_at)
         VALUES ($1, (SELECT coalesce(max(n), 0) + 1 FROM photos WHERE owner = $1), $2, $3, $4, $5, $6, $7)
         RETURNING ${COLUMNS}`,
        [photo.owner, photo.messageKey, photo.mime, photo.bytes.length, photo.bytes, photo.addedBy, photo.addedAt],
      );
      return { added: true, photo: toPhoto(r.rows[0]!) };
    });
  }

  async list(owner: string): Promise<StoredPhoto[]> {
    const r = await this.pool.query<PhotoRow>(`SELECT ${COLUMNS} FROM photos WHERE owner = $1 ORDER BY n`, [owner]);
    return r.rows.map(toPhoto);
  }

  async read(owner: string, n: number): Promise<Buffer | undefined> {
    const r = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM photos WHERE owner = $1 AND n = $2', [owner, n]);
    return r.rows[0]?.bytes;
  }

  move(from: string, to: string): Promise<number> {
    return transaction(this.pool, async (c) => {
      for (const o of [from, to].sort()) await c.query("SELECT pg_advisory_xact_lock(hashtext('photos:' || $1))", [o]);
      // Numbered after the record's own photos, in the draft's order (no row of `to` has a number above its top).
      const r = await c.query(
        `WITH base AS (SELECT coalesce(max(n), 0) AS top FROM photos WHERE owner = $2),
              moving AS (SELECT id, row_number() OVER (ORDER BY n) AS k FROM photos WHERE owner = $1)
         UPDATE photos p SET owner = $2, n = base.top + moving.k FROM base, moving WHERE p.id = moving.id`,
        [from, to],
      );
      return r.rowCount ?? 0;
    });
  }
}

function toPhoto(r: PhotoRow): StoredPhoto {
  return { owner: r.owner, n: r.n, messageKey: r.message_key, mime: r.mime, size: r.size, addedBy: r.added_by, addedAt: Number(r.added_at) };
}
