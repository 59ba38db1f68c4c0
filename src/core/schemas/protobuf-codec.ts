/**
 * Protobuf with protobufjs, from `.proto` text. A produced record is the file's first message (as Confluent's
 * serializer picks it), so its message indexes are `[0]`; a consumed record may be any message of the file, found
 * by its message indexes (see protobuf-layout.ts). Imports (schema references) are not supported.
 */
import protobuf from 'protobufjs';
import { indexesOf, messageAt, protoLayout } from './protobuf-layout.js';
import type { ProtoLayout } from './protobuf-layout.js';
import { messageFromJson, messageToJson, TO_OBJECT } from './protobuf-json.js';
import { invalidSchema, reasonOf, SchemaDataError } from './schema-codec.js';
import type { EncodedPayload, SchemaCodec } from './schema-codec.js';

class ProtobufCodec implements SchemaCodec {
  readonly type = 'PROTOBUF';
  readonly recordName: string;
  private readonly recordType: protobuf.Type;
  private readonly recordIndexes: readonly number[];

  constructor(private readonly root: protobuf.Root, private readonly layout: ProtoLayout, first: string) {
    this.recordName = first;
    this.recordType = root.lookupType(first);
    this.recordIndexes = indexesOf(layout, first) ?? [0];
  }

  encode(value: unknown): EncodedPayload {
    const plain = messageFromJson(this.recordType, value);
    let payload: Uint8Array;
    try {
      payload = this.recordType.encode(this.recordType.fromObject(plain)).finish();
    } catch (error) {
      throw new SchemaDataError(reasonOf(error));
    }
    return { payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), messageIndexes: this.recordIndexes };
  }

  decode(payload: Buffer, indexes: readonly number[] | undefined): unknown {
    const name = messageAt(this.layout, indexes ?? [0]);
    if (name === undefined) throw new SchemaDataError(`its message indexes [${(indexes ?? []).join(', ')}] name no message of the schema`);
    const type = this.root.lookupType(name);
    try {
      return messageToJson(type, type.toObject(type.decode(payload), TO_OBJECT));
    } catch (error) {
      throw new SchemaDataError(reasonOf(error));
    }
  }
}

export function protobufCodec(schemaText: string): SchemaCodec {
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(schemaText, { keepCase: true });
    parsed.root.resolveAll();
  } catch (error) {
    throw invalidSchema('PROTOBUF', reasonOf(error));
  }
  const imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
  if (imports.length > 0) throw invalidSchema('PROTOBUF', `it imports ${imports.join(', ')}; schema references are not supported`);
  const layout = protoLayout(schemaText);
  const first = layout.nested.get('')?.[0];
  if (typeof first !== 'string') throw invalidSchema('PROTOBUF', 'it declares no message');
  try {
    return new ProtobufCodec(parsed.root, layout, first);
  } catch (error) {
    throw invalidSchema('PROTOBUF', reasonOf(error));
  }
}
