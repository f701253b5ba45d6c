import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { SqlRepository } from '../db/repository.js';
import { AppError } from '../errors.js';
import { likePattern } from '../graphql/connection.js';
import type { CannedReply } from './canned-reply.entity.js';

/** A shortcut: a lowercase slug, short enough to type after `/`. */
const SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** Longest reply text, as long as a WhatsApp text message. */
export const MAX_CANNED_LENGTH = 4096;

/** What an admin sets on a canned reply; fields left out stay as they are. */
export interface CannedReplyInput {
  shortcut?: string | null;
  text?: string | null;
}

function checkShortcut(shortcut: string): string {
  if (!SHORTCUT.test(shortcut)) {
    throw new AppError('BAD_USER_INPUT', 'a shortcut is 1 to 40 lowercase letters, digits, - or _, starting with a letter or digit', { field: 'shortcut' });
  }
  return shortcut;
}

function checkText(text: string): string {
  if (!text.trim()) throw new AppError('BAD_USER_INPUT', 'a canned reply needs some text', { field: 'text' });
  if (text.length > MAX_CANNED_LENGTH) throw new AppError('BAD_USER_INPUT', `a canned reply has at most ${MAX_CANNED_LENGTH} characters`, { field: 'text', maxLength: MAX_CANNED_LENGTH });
  return text;
}

/** The owner of `canned_reply`: a handful of rows edited by admins, so the entity manager does it all. */
export class CannedReplyRepository extends SqlRepository<CannedReply> {
  /** Replies whose shortcut starts with `search` or whose text contains it (any case), by shortcut; all without one. */
  list(search?: string | null): Promise<CannedReply[]> {
    const s = search?.trim();
    const where = s ? { $or: [{ shortcut: { $like: `${likePattern(s.toLowerCase()).slice(1)}` } }, { text: { $ilike: likePattern(s) } }] } : {};
    return this.find(where, { orderBy: { shortcut: 'asc' } });
  }

  /** The reply with this id, or NOT_FOUND. */
  async byId(id: string): Promise<CannedReply> {
    const reply = /^\d+$/.test(id) ? await this.findOne(id) : null;
    if (!reply) throw new AppError('NOT_FOUND', `no canned reply ${id}`);
    return reply;
  }

  /** A new reply; BAD_USER_INPUT when its shortcut is taken. */
  async add(input: { shortcut: string; text: string }): Promise<CannedReply> {
    const reply = this.create({ shortcut: checkShortcut(input.shortcut.trim()), text: checkText(input.text) });
    await this.save(reply);
    return reply;
  }

  /** Changes a reply's shortcut or text; BAD_USER_INPUT when the new shortcut is taken. */
  async edit(id: string, input: CannedReplyInput): Promise<CannedReply> {
    const reply = await this.byId(id);
    if (input.shortcut != null) reply.shortcut = checkShortcut(input.shortcut.trim());
    if (input.text != null) reply.text = checkText(input.text);
    await this.save(reply);
    return reply;
  }

  /** Deletes a reply; NOT_FOUND when there is none. */
  async remove(id: string): Promise<CannedReply> {
    const reply = await this.byId(id);
    await this.em.remove(reply).flush();
    return reply;
  }

  private async save(reply: CannedReply): Promise<void> {
    try {
      await this.em.persist(reply).flush();
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      this.em.clear(); // the failed change must not be flushed again by a later call
      throw new AppError('BAD_USER_INPUT', `the shortcut "${reply.shortcut}" is taken`, { field: 'shortcut' });
    }
  }
}
