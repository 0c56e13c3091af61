/** hello — the optional handshake that checks protocol versions. */
import { ErrorCode, RpcError } from '../../protocol/errors';
import { PROTOCOL_VERSION, majorOf } from '../../protocol/version';
import type { Deps } from '../domain/deps';
import type { Handlers } from '../domain/context';

export function sessionHandlers({ daemonId, version, limits }: Deps): Pick<Handlers, 'hello'> {
  return {
    hello: async (p, ctx) => {
      if (majorOf(p.protocolVersion) !== majorOf(PROTOCOL_VERSION)) {
        throw new RpcError(
          ErrorCode.ProtocolVersion,
          `protocol version ${p.protocolVersion} is not supported: this daemon speaks ${PROTOCOL_VERSION}`,
          { field: 'protocolVersion', rule: 'major version', supported: PROTOCOL_VERSION },
        );
      }
      ctx.session.client = p.client;
      ctx.session.protocolVersion = p.protocolVersion;
      return { daemonVersion: version, protocolVersion: PROTOCOL_VERSION, daemonId, limits };
    },
  };
}
