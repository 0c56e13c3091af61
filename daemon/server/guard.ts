/**
 * Who may talk to the daemon: the bearer token (constant-time compare), no browser Origin unless
 * configured, and only the Host names the daemon is bound to (DNS-rebinding defence).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardConfig {
  token: string;
  allowedOrigins: readonly string[];
  /** Extra Host values to accept beyond the bound address and localhost. */
  allowedHosts: readonly string[];
}

export interface Refusal {
  status: 401 | 403;
  reason: string;
}

export class RequestGuard {
  private readonly token: Buffer;
  private readonly origins: Set<string>;
  private hosts = new Set<string>();

  constructor(private readonly config: GuardConfig) {
    this.token = Buffer.from(config.token);
    this.origins = new Set(config.allowedOrigins.map((o) => o.toLowerCase()));
  }

  /** Called once the port is known. */
  bind(host: string, port: number): void {
    const names = new Set(['localhost', '127.0.0.1', '[::1]', host.includes(':') ? `[${host}]` : host, ...this.config.allowedHosts]);
    this.hosts = new Set([...names].flatMap((name) => [name.toLowerCase(), `${name.toLowerCase()}:${port}`]));
  }

  check(req: IncomingMessage, needsToken: boolean): Refusal | undefined {
    if (needsToken && !this.hasToken(req.headers.authorization)) {
      return { status: 401, reason: 'missing or wrong bearer token' };
    }
    return this.checkPlace(req);
  }

  /** Host and Origin only (for /healthz, which needs no token). */
  checkPlace(req: IncomingMessage): Refusal | undefined {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host)) return { status: 403, reason: `Host "${host ?? ''}" is not this daemon` };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) {
      return { status: 403, reason: `Origin "${origin}" is not allowed (add it to allowedOrigins)` };
    }
    return undefined;
  }

  /** The auth scheme is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` and extra spaces are fine. */
  private hasToken(header: string | undefined): boolean {
    // split, not one regex with lazy groups: linear on a 16 KB header of spaces
    const [scheme, token, ...extra] = (header ?? '').trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || token === undefined || extra.length) return false;
    const given = Buffer.from(token);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}
