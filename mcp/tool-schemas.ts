/**
 * MCP tool input schemas made from the protocol's param schemas (TypeBox, so plain JSON Schema
 * once serialized): the fields the server fills in itself (the calling agent) are left out, and a
 * tool may take fields of a second method. The daemon's own `payload` mark is dropped: it is no
 * JSON Schema keyword, and strict validators (the daemon's tool registry among them) refuse it.
 */
import { PAYLOAD_MARK, schemas, type MethodName } from '../protocol/schemas';

export interface ToolInputSchema {
  type: 'object';
  properties: Record<string, object>;
  required?: string[];
  additionalProperties: false;
  [keyword: string]: unknown;
}

export interface SchemaShape {
  /** Fields of the method's params the tool does not take. */
  omit?: string[];
  /** Only these fields of the method's params (after omit). */
  pick?: string[];
  /** Fields added (from another method's schema, or written here), and whether each is required. */
  add?: Record<string, { schema: object; required?: boolean }>;
}

export function toolInputSchema(method: MethodName, shape: SchemaShape = {}): ToolInputSchema {
  const params = plain(schemas[method]) as ToolInputSchema;
  const keep = (field: string) => !shape.omit?.includes(field) && (shape.pick === undefined || shape.pick.includes(field));
  const properties = Object.fromEntries(Object.entries(params.properties).filter(([field]) => keep(field)));
  const required = (params.required ?? []).filter(keep);
  for (const [field, { schema, required: isRequired }] of Object.entries(shape.add ?? {})) {
    properties[field] = schema;
    if (isRequired) required.push(field);
  }
  const { properties: _properties, required: _required, ...rest } = params;
  return { ...rest, type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

/** One field's schema of a method's params, e.g. to add it to another method's tool. */
export function paramSchema(method: MethodName, field: string): object {
  const property = (plain(schemas[method]) as ToolInputSchema).properties[field];
  if (!property) throw new Error(`${method} has no param ${field}`);
  return property;
}

function plain(schema: object): unknown {
  return JSON.parse(JSON.stringify(schema, (key, value: unknown) => (key === PAYLOAD_MARK && value === true ? undefined : value)));
}
