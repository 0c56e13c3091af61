/**
 * An Ajv error as the -32602 a caller sees: the message and `data` name the field and the rule.
 * Shared by the daemon's param validation and `switchboard mcp`'s check of tool arguments.
 */
import type { ErrorObject } from 'ajv';
import { ErrorCode, RpcError } from './errors';

export function paramError(error: ErrorObject): RpcError {
  const at = error.instancePath.slice(1).replaceAll('/', '.');
  const field = (name: string) => (at ? `${at}.${name}` : name);
  switch (error.keyword) {
    case 'required': {
      const name = field(String(error.params.missingProperty));
      return invalid(name, 'required', `${name} is required`);
    }
    case 'additionalProperties': {
      const name = field(String(error.params.additionalProperty));
      return invalid(name, 'unknown field', `${name} is not a known field`);
    }
    case 'dependencies': {
      const name = field(String(error.params.property));
      return invalid(name, 'dependencies', `${name} needs ${field(String(error.params.missingProperty))}`);
    }
    case 'type':
      if (!at) return invalid('params', 'type', 'params must be an object');
      return invalid(at, 'type', `${at} ${error.message ?? 'has the wrong type'}`);
    default:
      return invalid(at || 'params', error.keyword, `${at || 'params'} ${error.message ?? 'is invalid'}`);
  }
}

function invalid(field: string, rule: string, message: string): RpcError {
  return new RpcError(ErrorCode.InvalidParams, `invalid params: ${message}`, { field, rule });
}
