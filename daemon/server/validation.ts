/**
 * Param validation: Ajv compiled from the protocol schemas, with errors that name the field and
 * the rule, and the byte limit on payload-like values (which JSON Schema cannot express).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { ErrorCode, RpcError } from '../../protocol/errors';
import { paramError } from '../../protocol/param-error';
import { PAYLOAD_MARK, schemas, type MethodName } from '../../protocol/schemas';

const ajv = new Ajv({ allErrors: false, strict: true, strictTypes: false });
ajv.addKeyword({ keyword: PAYLOAD_MARK, schemaType: 'boolean' });

export const validators = Object.fromEntries(
  Object.entries(schemas).map(([method, schema]) => [method, ajv.compile(schema)]),
) as Record<MethodName, ValidateFunction>;

/** Fields whose values are arbitrary JSON, limited in serialized size (SPEC §3): those the schemas mark. */
export const PAYLOAD_FIELDS = Object.fromEntries(
  Object.entries(schemas).map(([method, schema]) => [
    method,
    Object.entries((schema as { properties?: Record<string, Record<string, unknown>> }).properties ?? {})
      .filter(([, property]) => property[PAYLOAD_MARK] === true)
      .map(([field]) => field),
  ]),
) as Partial<Record<MethodName, readonly string[]>>;

export function validateParams(method: MethodName, params: unknown): void {
  const validate = validators[method];
  if (validate(params)) return;
  const error = validate.errors?.[0];
  throw error ? paramError(error) : new RpcError(ErrorCode.InvalidParams, 'invalid params');
}

/** Serializes each payload field once (handlers reuse the text) and enforces the size limit. */
export function serializePayloads(method: MethodName, params: Record<string, unknown>, maxBytes: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of PAYLOAD_FIELDS[method] ?? []) {
    const value = params[field];
    if (value === undefined) continue;
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json);
    if (bytes > maxBytes) {
      throw new RpcError(ErrorCode.TooLarge, `${field} is ${bytes} bytes serialized; the limit is ${maxBytes}`, {
        field,
        rule: 'maxValueBytes',
        limit: maxBytes,
        size: bytes,
      });
    }
    out[field] = json;
  }
  return out;
}
