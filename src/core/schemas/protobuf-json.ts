/**
 * Protobuf messages ⇄ JSON in the proto3 JSON mapping, as Confluent's REST Proxy uses it (Java's JsonFormat):
 * output field names are lowerCamelCase JSON names with default values included, 64-bit integers are strings,
 * bytes base64, enums by name; input accepts JSON names or the names as declared, numbers or numeric strings.
 * protobufjs's own `fromObject` coerces whatever it gets (`"abc"` becomes 0 for an int32), so the JSON is
 * checked here first, field by field, and a value that does not fit is refused with its path.
 */
import protobuf from 'protobufjs';
import { SchemaDataError } from './schema-codec.js';

type Plain = Record<string, unknown>;

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64 = new Set(['uint64', 'fixed64']);
const FLOATS = new Set(['float', 'double']);
const BASE64 = /^(?:[A-Za-z0-9+/\-_]{4})*(?:[A-Za-z0-9+/\-_]{2}(?:==)?|[A-Za-z0-9+/\-_]{3}=?)?$/;

function isObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return value.trim();
  return undefined;
}

function inRange(text: string, min: bigint, max: bigint): boolean {
  const n = BigInt(text);
  return n >= min && n <= max;
}

function scalarFromJson(type: string, value: unknown, path: string): unknown {
  const fail = (expected: string): never => {
    throw new SchemaDataError(`${path} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  if (INT32.has(type) || UINT32.has(type) || INT64.has(type) || UINT64.has(type)) {
    const text = integerText(value);
    const signed = INT32.has(type) || INT64.has(type);
    const bits = INT32.has(type) || UINT32.has(type) ? 32n : 64n;
    const [min, max] = signed ? [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n] : [0n, 2n ** bits - 1n];
    if (text === undefined || !inRange(text, min, max)) fail(`a ${type} (an integer from ${min} to ${max})`);
    return bits === 64n ? text : Number(text);
  }
  if (FLOATS.has(type)) {
    if (typeof value === 'number') return value;
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    return fail(`a ${type}`);
  }
  if (type === 'bool') return typeof value === 'boolean' ? value : fail('true or false');
  if (type === 'string') return typeof value === 'string' ? value : fail('a string');
  if (type === 'bytes') return typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64') : fail('base64 text');
  return fail(`a ${type}`);
}

function valueFromJson(field: protobuf.FieldBase, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageFromJson(resolved, value, path);
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === 'string' && value in resolved.values) return resolved.values[value];
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw new SchemaDataError(`${path} must be one of ${Object.keys(resolved.values).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return scalarFromJson(field.type, value, path);
}

function mapKey(keyType: string, key: string, path: string): string {
  if (keyType === 'string') return key;
  if (keyType === 'bool') {
    if (key === 'true' || key === 'false') return key;
    throw new SchemaDataError(`${path} has key '${key}', which is not true or false`);
  }
  return String(scalarFromJson(keyType, key, `${path} key '${key}'`));
}

function fieldFromJson(field: protobuf.Field, value: unknown, path: string): unknown {
  if (field instanceof protobuf.MapField) {
    if (!isObject(value)) throw new SchemaDataError(`${path} must be an object (a map)`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mapKey(field.keyType, k, path), valueFromJson(field, v, `${path}.${k}`)]));
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new SchemaDataError(`${path} must be an array`);
    return value.map((item, i) => valueFromJson(field, item, `${path}[${i}]`));
  }
  return valueFromJson(field, value, path);
}

function fieldNamed(type: protobuf.Type, key: string): protobuf.Field | undefined {
  return type.fields[key] ?? type.fieldsArray.find((f) => f.jsonName === key);
}

/** A JSON object as the plain object `Type.fromObject` takes (keys: the declared field names). */
export function messageFromJson(type: protobuf.Type, json: unknown, path = '$'): Plain {
  if (!isObject(json)) throw new SchemaDataError(`${path} must be an object (message ${type.fullName.slice(1)})`);
  const out: Plain = {};
  const oneofs = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const field = fieldNamed(type, key);
    if (!field) throw new SchemaDataError(`${path} has no field '${key}' (message ${type.fullName.slice(1)})`);
    if (value === null) continue; // JSON null is the field's default
    const oneof = field.partOf?.name;
    if (oneof !== undefined) {
      const other = oneofs.get(oneof);
      if (other !== undefined) throw new SchemaDataError(`${path} sets both '${other}' and '${key}' of oneof '${oneof}'`);
      oneofs.set(oneof, key);
    }
    out[field.name] = fieldFromJson(field, value, `${path}.${key}`);
  }
  return out;
}

function valueToJson(field: protobuf.FieldBase, value: unknown): unknown {
  return field.resolvedType instanceof protobuf.Type ? messageToJson(field.resolvedType, value as Plain) : value;
}

/** The output of `Type.toObject` (see TO_OBJECT) renamed to JSON names; unset message and oneof fields left out. */
export function messageToJson(type: protobuf.Type, object: Plain): Plain {
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    if (value === undefined || value === null) continue;
    if (field instanceof protobuf.MapField) {
      out[field.jsonName] = Object.fromEntries(Object.entries(value as Plain).map(([k, v]) => [k, valueToJson(field, v)]));
    } else if (field.repeated) {
      out[field.jsonName] = (value as unknown[]).map((item) => valueToJson(field, item));
    } else {
      out[field.jsonName] = valueToJson(field, value);
    }
  }
  return out;
}

/** How decoded messages are turned into plain objects before messageToJson. */
export const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: true, arrays: true, objects: true, json: true };
