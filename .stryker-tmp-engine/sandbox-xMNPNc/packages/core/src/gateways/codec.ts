// @ts-nocheck
import type { UssdReply, UssdTurn } from './turn.js';

/** Turns one gateway's requests into turns and replies into its response bodies. */
export type UssdCodec<T extends UssdTurn = UssdTurn> = {
  name: string;
  contentType: string;
  parse(body: unknown): T;
  format(reply: UssdReply, turn: T): string;
  /** A gateway's own cap on screen length, in characters, applied on top of the network limit. */
  screenLimit?: number | undefined;
};
