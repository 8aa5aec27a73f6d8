import type { Logger } from 'pino';
import type { ImageSource } from '../bot/message.ts';
import { MediaTooLargeError, WeComApiError, WeComTransportError } from '../errors.ts';
import type { FetchedImage, ImageFetcher } from '../records/photos.ts';
import type { WeComClient } from './client.ts';
import { ErrCode } from './errcodes.ts';
import { isRetryable } from './client.ts';

/**
 * Images users send to the app, fetched with media/get through the WeCom client (its token handling and retries), and
 * WeCom's answers turned into the reasons the bot tells the user. Nothing here judges the bytes: the caller checks that
 * they are an image.
 */
export class WeComImageFetcher implements ImageFetcher {
  constructor(
    private readonly client: WeComClient,
    private readonly logger: Logger,
  ) {}

  async fetch(source: ImageSource, maxBytes: number): Promise<FetchedImage> {
    try {
      return { ok: true, bytes: (await this.client.getMedia(source.mediaId, maxBytes)).data };
    } catch (err) {
      if (err instanceof MediaTooLargeError) return { ok: false, why: 'too-large' };
      if (err instanceof WeComApiError && err.errcode === ErrCode.MediaTooLarge) return { ok: false, why: 'too-large' };
      if (err instanceof WeComApiError && err.errcode === ErrCode.InvalidMediaId) return { ok: false, why: 'expired' };
      if ((err instanceof WeComApiError || err instanceof WeComTransportError) && isRetryable(err)) {
        this.logger.warn({ api: 'media/get', error: err.message }, 'image could not be fetched: WeCom unreachable');
        return { ok: false, why: 'unreachable' };
      }
      if (err instanceof WeComApiError || err instanceof WeComTransportError) {
        this.logger.warn({ api: 'media/get', error: err.message }, 'image could not be fetched');
        return { ok: false, why: 'refused' };
      }
      throw err;
    }
  }
}
