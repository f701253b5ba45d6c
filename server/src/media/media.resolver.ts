import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { Scope } from '../identity/principal.js';
import { MessageMedia } from '../messages/message.entity.js';
import { Media, MediaDownloadStatus } from './media.entity.js';
import type { MediaDownload } from './media.repository.js';

/** One query per request for all media rows asked for in it (by Meta's media id). */
class MediaLoader {
  private readonly cache = new Map<string, Promise<MediaDownload | null>>();
  private batch = new Map<string, { resolve: (row: MediaDownload | null) => void; reject: (err: unknown) => void }>();

  constructor(private readonly ctx: Context) {}

  load(waMediaId: string): Promise<MediaDownload | null> {
    let p = this.cache.get(waMediaId);
    if (!p) {
      p = new Promise((resolve, reject) => {
        if (this.batch.size === 0) setImmediate(() => void this.flush());
        this.batch.set(waMediaId, { resolve, reject });
      });
      this.cache.set(waMediaId, p);
    }
    return p;
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = new Map();
    try {
      const found = await this.ctx.em.getRepository(Media).downloadsOf([...batch.keys()]);
      for (const [key, { resolve }] of batch) resolve(found.get(key) ?? null);
    } catch (err) {
      for (const { reject } of batch.values()) reject(err);
    }
  }
}

const loaders = new WeakMap<Context, MediaLoader>();
const rowOf = (m: MessageMedia, ctx: Context): Promise<MediaDownload | null> => {
  if (!m.id) return Promise.resolve(null);
  let l = loaders.get(ctx);
  if (!l) loaders.set(ctx, (l = new MediaLoader(ctx)));
  return l.load(m.id);
};

/** Our local copy of a message's media: where to fetch it and how its download went. */
@Resolver(() => MessageMedia)
export class MediaResolver {
  // READ even where the message comes from a SEND mutation (sendMessage's replyTo): the URL opens the file.
  @Authorized(Scope.READ)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Our copy of the file: a signed path such as /api/media/42?exp=1767225600&sig=…, valid for at least 10 minutes without any credential ' +
      '(for <img src>; resolve it against the API origin), then refused with 401 (mediaUrl(messageId) gives a fresh one). Null until downloaded. Needs READ',
  })
  async url(@Root() m: MessageMedia, @Ctx() ctx: Context): Promise<string | null> {
    const row = await rowOf(m, ctx);
    return row?.status === MediaDownloadStatus.DOWNLOADED ? ctx.services.media.urls.sign(row.messageId) : null;
  }

  @Authorized(Scope.READ)
  @Query(() => String, {
    nullable: true,
    description: "A fresh signed URL of a message's downloaded file (as MessageMedia.url), for a page open longer than the last one lasts; null while there is none",
  })
  async mediaUrl(@Arg('messageId', () => ID) messageId: string, @Ctx() ctx: Context): Promise<string | null> {
    if (!/^\d{1,18}$/.test(messageId)) throw new AppError('BAD_USER_INPUT', 'messageId must be a message id');
    const row = await ctx.em.getRepository(Media).ofMessage(messageId);
    return row?.status === MediaDownloadStatus.DOWNLOADED ? ctx.services.media.urls.sign(messageId) : null;
  }

  @FieldResolver(() => MediaDownloadStatus, { nullable: true, description: 'null for media we do not download (sent by us or by link)' })
  async downloadStatus(@Root() m: MessageMedia, @Ctx() ctx: Context): Promise<MediaDownloadStatus | null> {
    return (await rowOf(m, ctx))?.status ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the last download attempt failed' })
  async downloadError(@Root() m: MessageMedia, @Ctx() ctx: Context): Promise<string | null> {
    return (await rowOf(m, ctx))?.lastError ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Bytes of our copy' })
  async fileSize(@Root() m: MessageMedia, @Ctx() ctx: Context): Promise<number | null> {
    return (await rowOf(m, ctx))?.size ?? null;
  }
}
