/**
 * One Lua script with its typed wrapper, in the style of BullMQ's scripts.ts. The file
 * `<name>-<number of keys>.lua` gives the script's name and key count; the wrapper names its keys
 * and arguments once, in the order the script reads them, and is checked against the file name
 * when it loads. Callers pass both by name.
 */
import type Redis from 'ioredis';
import { redisCall } from './redis';

export interface LuaFile {
  file: string;
  source: string;
}

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

export class Script<K extends string, A extends string> {
  readonly name: string;
  readonly numberOfKeys: number;
  /** The source with its includes inlined. */
  readonly lua: string;

  constructor(
    file: LuaFile,
    private readonly keyNames: readonly K[],
    private readonly argNames: readonly A[],
    inline: (source: string) => string,
  ) {
    const match = /^(\w+)-(\d+)$/.exec(file.file);
    if (!match) throw new Error(`${file.file}.lua: a script file is named <name>-<number of keys>.lua`);
    this.name = match[1]!;
    this.numberOfKeys = Number(match[2]);
    if (keyNames.length !== this.numberOfKeys) {
      throw new Error(`${file.file}.lua takes ${this.numberOfKeys} keys, but its wrapper names ${keyNames.length}`);
    }
    this.lua = inline(file.source);
  }

  /**
   * Runs the script (EVALSHA, EVAL after a Redis restart) with the call timeout and error mapping
   * of redisCall. `repeated` follows the named arguments: the groups of a script that handles
   * many items in one call.
   */
  run(redis: Redis, keys: Record<K, string>, args: Record<A, string | number>, repeated: readonly (string | number)[] = []): Promise<unknown> {
    return this.invoke(redis, this.name, keys, args, repeated);
  }

  /** run, with every bulk string of the reply as a Buffer (for binary values). */
  runBuffer(redis: Redis, keys: Record<K, string>, args: Record<A, string | number>): Promise<unknown> {
    return this.invoke(redis, `${this.name}Buffer`, keys, args, []);
  }

  private invoke(redis: Redis, command: string, keys: Record<K, string>, args: Record<A, string | number>, repeated: readonly (string | number)[]): Promise<unknown> {
    const fn = (redis as unknown as Record<string, ScriptFn>)[command]!;
    return redisCall(redis, () => fn.call(redis, ...this.keyNames.map((k) => keys[k]), ...this.argNames.map((a) => args[a]), ...repeated));
  }

  register(redis: Redis): void {
    redis.defineCommand(this.name, { lua: this.lua, numberOfKeys: this.numberOfKeys });
  }
}
