/** Protocol version spoken on /v1; `hello` refuses a client whose major differs. */
export const PROTOCOL_VERSION = '1.0';

export function majorOf(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}
