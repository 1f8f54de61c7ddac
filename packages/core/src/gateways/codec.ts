import type { UssdReply, UssdTurn } from '../engine/turn.js';

/** Turns one gateway's requests into turns and replies into its response bodies. */
export type UssdCodec = {
  name: string;
  contentType: string;
  parse(body: unknown): UssdTurn;
  format(reply: UssdReply, turn: UssdTurn): string;
  /** A gateway's own cap on screen length, in characters, applied on top of the network limit. */
  screenLimit?: number | undefined;
};
